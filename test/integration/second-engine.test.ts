// The second, restartable Docker engine that restart tests run against (test/support/second-engine.ts):
// it must come up on its own, keep containers and their logs across a restart and a crash of
// dockerd, and leave nothing behind.
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithSecondEngine,
  isAlive,
  mountsUnder,
  processesUsing,
  shimSocketPath,
  startSecondEngine,
  type SecondEngine,
} from '../support/second-engine';
import { testDocker } from '../support/test-env';

// Prints numbered lines forever. The count and the number of runs live in the container's
// filesystem, so a run after a restart goes on where the last one stopped: every number is
// printed at most once (it is saved before it is printed). It traps SIGTERM, as a shell that
// is PID 1 would otherwise ignore it and make every dockerd shutdown wait 10 s.
const COUNTER = [
  "trap 'exit 0' TERM",
  'n=$(cat /count 2>/dev/null || echo 0)',
  'run=$(( $(cat /runs 2>/dev/null || echo 0) + 1 )); echo $run > /runs',
  'echo "run $run"',
  'while :; do n=$((n+1)); echo $n > /count; echo "line $n"; sleep 0.1; done',
].join('\n');

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function processesNamed(engine: SecondEngine, program: string): number[] {
  return processesUsing(engine.baseDir).filter((pid) => {
    const argv0 = cmdline(pid).split(' ')[0] ?? '';
    return argv0 === program || argv0.endsWith(`/${program}`);
  });
}

/** stdout and stderr of a non-TTY container, from Docker's multiplexed frames. */
function demux(buffer: Buffer): string {
  let out = '';
  let at = 0;
  while (at + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(at + 4);
    out += buffer.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return out;
}

async function logsOf(container: Docker.Container): Promise<string[]> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  return demux(raw).split('\n').filter((line) => line !== '');
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the container has printed a line after its `run <n>` line. */
function waitForRun(container: Docker.Container, run: number): Promise<string[]> {
  return waitFor(`run ${run} to print`, async () => {
    const lines = await logsOf(container);
    const at = lines.indexOf(`run ${run}`);
    return at >= 0 && lines.length > at + 2 ? lines : undefined;
  });
}

async function startCounter(engine: SecondEngine): Promise<Docker.Container> {
  const container = await engine.docker.createContainer({
    Image: engine.image,
    Cmd: ['sh', '-c', COUNTER],
    StopTimeout: 5,
    HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'always' } },
  });
  await container.start();
  return container;
}

/** The messages of a json-file log, read from the file itself, in order. */
function jsonFileLog(path: string): Array<{ log: string; time: string }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { log: string; time: string });
}

/** Checks a COUNTER log: runs 1..runs in order, line numbers strictly increasing, each run printed. */
function expectCounterLog(messages: string[], runs: number): void {
  expect(messages.filter((m) => m.startsWith('run '))).toEqual(Array.from({ length: runs }, (_, i) => `run ${i + 1}`));
  const numbers = messages.filter((m) => m.startsWith('line ')).map((m) => Number(m.slice(5)));
  for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThan(numbers[i - 1]!);
  // Every run printed lines, and each run's lines come after its own `run` line.
  const runAt = messages.flatMap((m, i) => (m.startsWith('run ') ? [i] : []));
  runAt.forEach((at, i) => {
    const next = runAt[i + 1] ?? messages.length;
    expect(next - at, `lines printed by run ${i + 1}`).toBeGreaterThan(1);
  });
  expect(messages[0]).toBe('run 1');
}

/** The host's docker0 (the main engine's bridge) as an ifindex, or null when there is none. */
function hostDocker0(): string | null {
  try {
    return readFileSync('/sys/class/net/docker0/ifindex', 'utf8').trim();
  } catch {
    return null;
  }
}

function expectNothingLeft(engine: SecondEngine): void {
  expect(processesUsing(engine.baseDir)).toEqual([]);
  expect(mountsUnder(engine.baseDir)).toEqual([]);
  expect(existsSync(engine.baseDir)).toBe(false);
}

// describeWithDocker, plus: a second dockerd needs root and dockerd, containerd, unshare.
describeWithSecondEngine('the second Docker engine', () => {
  let engine: SecondEngine;
  let docker0: string | null;

  beforeAll(async () => {
    docker0 = hostDocker0();
    engine = await startSecondEngine();
  });

  afterAll(async () => {
    if (!engine) return;
    await engine.dispose();
    // It was killed and restarted on the way: dockerd then keeps its data root mounted.
    expectNothingLeft(engine);
    expect(hostDocker0()).toBe(docker0);
  });

  it('starts in directories of its own and answers, apart from the main engine', async () => {
    expect(String(await engine.docker.ping())).toBe('OK');
    expect(engine.dockerHost).toBe(`unix://${engine.socketPath}`);
    expect(Buffer.byteLength(engine.socketPath)).toBeLessThan(100);
    expect(engine.running()).toBe(true);
    expect(isAlive(engine.pid!)).toBe(true);

    const info = (await engine.docker.info()) as { DockerRootDir: string; ID: string; LiveRestoreEnabled: boolean };
    const mainInfo = (await testDocker().info()) as { DockerRootDir: string; ID: string };
    expect(info.DockerRootDir).toBe(engine.dataRoot);
    expect(info.DockerRootDir).not.toBe(mainInfo.DockerRootDir);
    expect(info.ID).not.toBe(mainInfo.ID);
    expect(info.LiveRestoreEnabled).toBe(false);

    // No bridge: nothing in the main engine's networking is touched.
    const networks = (await engine.docker.listNetworks()).map((n) => n.Name).sort();
    expect(networks).not.toContain('bridge');
    expect(networks).toContain('none');

    await engine.docker.getImage(engine.image).inspect();
    // Its own network namespace: with `--bridge none` dockerd deletes docker0, which must be
    // its own, never the host's (the main engine's bridge network).
    expect(readlinkSync(`/proc/${engine.pid!}/ns/net`)).not.toBe(readlinkSync('/proc/self/ns/net'));
    expect(hostDocker0()).toBe(docker0);

    // Its containerd is its own: under its exec root, not the main engine's.
    const containerds = processesNamed(engine, 'containerd');
    expect(containerds).toHaveLength(1);
    expect(cmdline(containerds[0]!)).toContain(engine.baseDir);
  });

  it('runs a busybox container with network none and reads its output', async () => {
    const container = await engine.docker.createContainer({
      Image: engine.image,
      Cmd: ['sh', '-c', 'echo hello from the second engine; ls /sys/class/net'],
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      expect(((await container.wait()) as { StatusCode: number }).StatusCode).toBe(0);
      expect(await logsOf(container)).toEqual(['hello from the second engine', 'lo']);
      // The main engine knows nothing of it.
      await expect(testDocker().getContainer(container.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await container.remove({ force: true });
    }
  });

  it('keeps the log of a container with restart policy always across restart() and runs it again', async () => {
    const container = await startCounter(engine);
    try {
      await waitForRun(container, 1);
      const before = await container.inspect();
      expect(before.State.Running).toBe(true);

      await engine.restart();

      // dockerd answers only once it has restored its containers, so this one runs again.
      const after = await container.inspect();
      expect(after.State.Running).toBe(true);
      expect(after.State.Pid).not.toBe(before.State.Pid);
      expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
      await waitForRun(container, 2);

      const entries = jsonFileLog(after.LogPath);
      expect(after.LogPath.startsWith(`${engine.dataRoot}/`)).toBe(true);
      expectCounterLog(entries.map((e) => e.log.trimEnd()), 2);
      const times = entries.map((e) => Date.parse(e.time));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    } finally {
      await container.remove({ force: true });
    }
  });

  it('starts again after dockerd was killed with SIGKILL, and the container it left comes back', async () => {
    const container = await startCounter(engine);
    try {
      await waitForRun(container, 1);
      const before = await container.inspect();
      const dockerdPid = engine.pid!;
      const containerdPids = processesNamed(engine, 'containerd');
      expect(containerdPids).toHaveLength(1);

      await engine.stop('SIGKILL');

      expect(engine.running()).toBe(false);
      expect(isAlive(dockerdPid)).toBe(false);
      expect(processesNamed(engine, 'containerd')).toEqual([]);
      expect(existsSync(join(engine.baseDir, 'docker.pid'))).toBe(false);
      expect(existsSync(engine.socketPath)).toBe(false);
      expect(existsSync(join(engine.execRoot, 'containerd', 'containerd.pid'))).toBe(false);
      // What a crash leaves: the container goes on running under its shim.
      expect(isAlive(before.State.Pid)).toBe(true);
      expect(processesNamed(engine, 'containerd-shim-runc-v2').length).toBeGreaterThan(0);

      await engine.start();

      // Without live restore the new dockerd stops the orphan, then starts it again.
      const after = await container.inspect();
      expect(after.State.Running).toBe(true);
      expect(after.State.Pid).not.toBe(before.State.Pid);
      expect(isAlive(before.State.Pid)).toBe(false);
      await waitForRun(container, 2);
      expectCounterLog(jsonFileLog(after.LogPath).map((e) => e.log.trimEnd()), 2);
    } finally {
      await container.remove({ force: true });
    }
  });

  it('leaves no process, mount or directory behind when disposed, after a clean run or a crash', async () => {
    for (const crash of [false, true]) {
      const other = await startSecondEngine();
      let containerPid = 0;
      let shimSocket = '';
      try {
        // `sleep` as PID 1 ignores SIGTERM: only a kill stops it.
        const container = await other.docker.createContainer({
          Image: other.image,
          Cmd: ['sleep', '600'],
          HostConfig: { NetworkMode: 'none' },
        });
        await container.start();
        containerPid = (await container.inspect()).State.Pid;
        expect(isAlive(containerPid)).toBe(true);
        // The shim's socket lives outside the engine's directory.
        shimSocket = shimSocketPath(join(other.execRoot, 'containerd', 'containerd.sock'), 'moby', container.id);
        expect(existsSync(shimSocket)).toBe(true);
        if (crash) await other.stop('SIGKILL');
      } finally {
        await other.dispose();
      }
      expectNothingLeft(other);
      expect(isAlive(containerPid), `container process after dispose (crash: ${crash})`).toBe(false);
      expect(existsSync(shimSocket), `shim socket after dispose (crash: ${crash})`).toBe(false);
      await other.dispose(); // a second dispose is harmless
    }
  });

  it('fails with the daemon log when dockerd exits or does not answer in time, and cleans up', async () => {
    const failure = async (options: Parameters<typeof startSecondEngine>[0]) => {
      const err = await startSecondEngine(options).then(
        (started) => started.dispose().then(() => new Error('it started')),
        (e: unknown) => e as Error,
      );
      const baseDir = /dockerd log \((\/\S+)\/dockerd\.log\)/.exec(err.message)?.[1];
      expect(baseDir, err.message).toBeDefined();
      expect(existsSync(baseDir!)).toBe(false);
      expect(processesUsing(baseDir!)).toEqual([]);
      return err.message;
    };
    const exited = await failure({ dockerdArgs: ['--no-such-flag'] });
    expect(exited).toMatch(/the second dockerd exited \(exit code \d+\) before it answered/);
    expect(exited).toContain('no-such-flag');
    const slow = await failure({ startTimeoutMs: 1 });
    expect(slow).toMatch(/did not answer on unix:\/\/\S+ within 0.001 s/);
    expect(slow).toContain('dockerd log (');
  });

  it('runs with a containerd of its own when asked, as it must beside a system containerd', async () => {
    const other = await startSecondEngine({ containerd: 'separate' });
    try {
      expect(other.containerdMode).toBe('separate');
      const [containerd] = processesNamed(other, 'containerd');
      expect(cmdline(containerd!)).toContain(join(other.baseDir, 'containerd.toml'));
      expect(cmdline(other.pid!)).toContain('--containerd');

      const container = await startCounter(other);
      await waitForRun(container, 1);
      await other.restart('SIGKILL');
      expect(isAlive(containerd!)).toBe(false);
      expect((await container.inspect()).State.Running).toBe(true);
      await waitForRun(container, 2);
      await other.restart();
      await waitForRun(container, 3);
      expectCounterLog((await logsOf(container)), 3);
    } finally {
      await other.dispose();
    }
    expectNothingLeft(other);
  });
});
