// Hosts reached for real over TLS and over SSH: the TLS engine (a second dockerd with
// --tlsverify on 127.0.0.1:2376, certificates made by openssl) and an sshd on 127.0.0.1:2222 in
// front of the main engine, reached with a key held by a test ssh-agent. Each runs a job whose
// lines stream live and are stored; a wrong certificate or key shows the host down, with why.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jobLabels } from '../../src/main/core/jobs/job-runner';
import type { RequestName } from '../../src/shared/contract';
import type { LogBatch } from '../../src/shared/model';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { sshHost, startSshAgent, strangerKey, type SshAgent } from '../support/ssh-host';
import { describeWithSshHost, describeWithTlsEngine, testEnv, testImage } from '../support/test-env';
import { foreignClientCert, tlsEngine, tlsEngineDocker } from '../support/tls-engine';

/** Runs a job on `hostId`, following its lines as they are stored; answers both. */
async function runFollowed(t: TestBerth, hostId: number, name: string) {
  const call = <N extends RequestName>(n: N, input: unknown) => t.berth.service.call(n, input);
  const tpl = await call('templates.create', {
    name,
    image: testImage(),
    command: ['sh', '-c', 'for i in 1 2 3; do echo "line $i on $HOSTNAME"; sleep 0.3; done; echo oops >&2'],
  });
  const queued = await call('jobs.run', { templateId: tpl.id, hostId });
  const batches: LogBatch[] = [];
  const off = t.berth.service.subscribe('logs', { jobId: queued.id }, (b) => batches.push(b));
  try {
    const job = await waitForJob(t.berth, queued.id, 60_000);
    const stored = (await call('logs.query', { jobId: job.id, sourceType: 'container' })).logs;
    const streamed = batches.flatMap((b) => b.lines).filter((l) => l.source === 'container');
    return { job, stored, streamed };
  } finally {
    off();
  }
}

const jobLines = (lines: { message: string; isStdErr: boolean }[]) => lines.map((l) => [l.message.replace(/ on \S+$/, ''), l.isStdErr]);
const expectedLines = [
  ['line 1', false],
  ['line 2', false],
  ['line 3', false],
  ['oops', true],
];

describeWithTlsEngine('a TLS host (dockerd with --tlsverify)', () => {
  let t: TestBerth;
  beforeAll(() => {
    t = startTestBerth();
  });
  afterAll(async () => {
    // The harness cleans the main engine; containers on the TLS engine are ours to remove.
    const engine = tlsEngineDocker();
    const left = await engine.listContainers({ all: true, filters: { label: [`${jobLabels.instance}=${t.berth.instanceId}`] } });
    await Promise.all(left.map((c) => engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await t?.dispose();
  });
  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);

  it('is up with the right client certificate, runs a job there and streams its stored lines', async () => {
    const { address, files } = tlsEngine();
    const host = await call('hosts.add', { name: 'tls', kind: 'tcp', address, tls: files });
    expect(host).toMatchObject({ kind: 'tcp', tls: true, address: `tcp://${address}` });
    expect(host.status).toMatchObject({ state: 'up', error: null });
    expect(host.status.cpus).toBeGreaterThan(0);
    expect(host.status.memoryBytes).toBeGreaterThan(0);

    // The TLS engine's own events say where the container started.
    const events = new AbortController();
    const started: string[] = [];
    const stream = (await (tlsEngineDocker() as unknown as { getEvents(o: object): Promise<NodeJS.ReadableStream> }).getEvents({
      filters: { type: ['container'], event: ['start'] },
      abortSignal: events.signal,
    })) as NodeJS.ReadableStream;
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) started.push((JSON.parse(line) as { id: string }).id);
    });
    stream.on('error', () => undefined);
    const { job, stored, streamed } = await runFollowed(t, host.id, 'on-tls').finally(() => setTimeout(() => events.abort(), 500));
    expect(job).toMatchObject({ status: 'completed', exitCode: 0, hostId: host.id });
    expect(started).toContain(job.containerId);
    expect(jobLines(stored)).toEqual(expectedLines);
    expect(streamed.map((l) => l.id)).toEqual(stored.map((l) => l.id));
  });

  it('is down, with the reason, when its client certificate comes from another CA', async () => {
    const foreign = foreignClientCert();
    try {
      const host = await call('hosts.add', { name: 'tls-wrong-cert', kind: 'tcp', address: tlsEngine().address, tls: foreign.files });
      expect(host.status.state).toBe('down');
      // The engine ends the handshake: OpenSSL names the alert, e.g. "tlsv1 alert unknown ca" or
      // "certificate required", or the socket is cut before an answer.
      expect(host.status.error).toMatch(/127\.0\.0\.1:2376.*(alert|certificate|unknown ca|socket hang up|ECONNRESET)/i);
    } finally {
      foreign.dispose();
    }
  });
});

describeWithSshHost('an SSH host (sshd, key in an ssh-agent)', () => {
  let agent: SshAgent;
  let t: TestBerth;
  let home: string;
  // Each SSH connection and each remote `docker system dial-stdio` costs seconds on a loaded
  // test machine; the default 5 s check would call a slow host down.
  const sshTimeouts = { hostCheckMs: 30_000 };
  /** Berth's environment: the agent, and a HOME whose ~/.ssh/known_hosts is `knownHosts`. */
  const sshEnv = (agentSocket: string, knownHosts: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-home-'));
    mkdirSync(join(dir, '.ssh'));
    writeFileSync(join(dir, '.ssh', 'known_hosts'), knownHosts);
    return { dir, env: { DOCKER_HOST: testEnv().docker!.host, SSH_AUTH_SOCK: agentSocket, HOME: dir } };
  };
  beforeAll(async () => {
    agent = await startSshAgent([sshHost().key]);
    // known_hosts lists the sshd's real key: Berth checks it and lets it through.
    const { dir, env } = sshEnv(agent.socket, readFileSync(sshHost().knownHosts, 'utf8'));
    home = dir;
    t = startTestBerth(undefined, { env, timeouts: sshTimeouts });
  });
  afterAll(async () => {
    await t?.dispose();
    await agent?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });
  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);

  it('is up through the agent’s key, runs a job there and streams its stored lines', async () => {
    const host = await call('hosts.add', { name: 'ssh', kind: 'ssh', address: sshHost().address });
    expect(host).toMatchObject({ kind: 'ssh', address: 'ssh://root@127.0.0.1:2222' });
    expect(host.status).toMatchObject({ state: 'up', error: null });
    expect(host.status.version).toBe(testEnv().docker!.serverVersion);

    const { job, stored, streamed } = await runFollowed(t, host.id, 'on-ssh');
    expect(job).toMatchObject({ status: 'completed', exitCode: 0, hostId: host.id });
    expect(jobLines(stored)).toEqual(expectedLines);
    expect(streamed.map((l) => l.id)).toEqual(stored.map((l) => l.id));
  });

  it('is down, with the reason, when the agent holds only a key the host does not authorize', async () => {
    const stranger = strangerKey();
    const wrongAgent = await startSshAgent([stranger.key]);
    const { dir, env } = sshEnv(wrongAgent.socket, '');
    const other = startTestBerth(undefined, { env, timeouts: sshTimeouts });
    try {
      const host = await other.berth.service.call('hosts.add', { name: 'ssh-wrong-key', kind: 'ssh', address: sshHost().address });
      expect(host.status.state).toBe('down');
      // ssh2's words: "All configured authentication methods failed".
      expect(host.status.error).toMatch(/ssh:\/\/root@127\.0\.0\.1:2222.*authentication methods failed/i);
    } finally {
      await other.dispose();
      await wrongAgent.stop();
      stranger.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is down, with the reason, when its host key differs from the one in known_hosts', async () => {
    const impostor = strangerKey();
    const fakeLine = `[127.0.0.1]:2222 ${readFileSync(`${impostor.key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
    const { dir, env } = sshEnv(agent.socket, fakeLine);
    const other = startTestBerth(undefined, { env, timeouts: sshTimeouts });
    try {
      const host = await other.berth.service.call('hosts.add', { name: 'ssh-changed-key', kind: 'ssh', address: sshHost().address });
      expect(host.status.state).toBe('down');
      expect(host.status.error).toMatch(/ssh-ed25519 host key of \[127\.0\.0\.1\]:2222 does not match the one in known_hosts/);
    } finally {
      await other.dispose();
      impostor.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
