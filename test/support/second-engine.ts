// A second Docker engine that a test may stop, kill and start again without disturbing the
// main test engine: its own dockerd (data root, exec root, pidfile, unix socket, config file,
// engine ID) and its own containerd, both in a network namespace of their own, with no bridge
// network and no iptables rules, so its containers run with network mode `none`. The test
// image is copied in from the main engine.
//
// What was learned about dockerd 20.10 and shaped this helper:
// - `--bridge none` alone is NOT harmless: with the bridge disabled, dockerd deletes the
//   host's `docker0` link at startup (removeDefaultBridgeInterface), which breaks every
//   bridge-networked container of the main engine. So dockerd always runs under
//   `unshare --net`, where there is no docker0 to delete and no iptables to touch; its
//   sockets are files, so the host reaches them all the same.
// - Without `--containerd`, dockerd runs its own containerd under <exec root>/containerd
//   (pidfile containerd.pid there), but only when /run/containerd/containerd.sock does not
//   exist: if it does, dockerd quietly uses that system containerd, namespace "moby", shared
//   with the main engine. So `containerd: 'separate'` (the default when that socket exists)
//   runs a containerd of our own and hands it over with `--containerd`.
// - dockerd 20.10 takes its engine ID from /etc/docker/key.json, so the second engine would
//   report the main one's ID; our own config file points it at a key of its own.
// - SIGTERM: dockerd stops the running containers (each gets SIGTERM and its StopTimeout,
//   10 s by default, then SIGKILL; note a shell as PID 1 ignores SIGTERM unless it traps it),
//   then stops its managed containerd and removes its pidfile and socket.
// - SIGKILL: the managed containerd dies with dockerd (it is started with a parent-death
//   signal), but the shims and the containers keep running; the pidfiles (docker.pid and
//   containerd/containerd.pid), the sockets and the mounts (the data root bind-mounted onto
//   itself, overlay2 rootfs, netns) stay. dockerd refuses to start while its pidfile names a
//   live process and adopts whatever process containerd.pid names, so a recycled pid in
//   either would break the next start: stop('SIGKILL') removes both and makes sure containerd
//   is gone. The next dockerd, live-restore being off, stops the containers a crash left
//   (StopTimeout again) before it answers, then starts those with restart policy `always`
//   again, in the same container, appending to the same json-file log.
// - After a SIGKILL and a restart, dockerd no longer unmounts the data root bind mount on
//   shutdown, so dispose() unmounts whatever is left under the base directory; and a shim
//   killed after a crash leaves its socket in /run/containerd/s, which dispose() removes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Docker from 'dockerode';
import { it } from 'vitest';
import { describeWithDocker, isCi, testDocker, testImage } from './test-env';

export type ContainerdMode = 'managed' | 'separate';

export interface SecondEngineOptions {
  /**
   * 'managed': dockerd starts and stops its own containerd (as the main engine here does).
   * 'separate': this helper runs containerd and passes `--containerd`; stop() stops both.
   * Default: 'managed', unless a system containerd socket would make dockerd share it.
   */
  containerd?: ContainerdMode;
  /** Engine to copy the image from; default: the main test engine. */
  source?: Docker;
  /** Image to copy; default: the test image (berth-test/busybox:latest). */
  image?: string;
  /** Extra dockerd flags, e.g. ['--live-restore']. */
  dockerdArgs?: string[];
  /** How long start() waits for the engine to answer; default 60 s. */
  startTimeoutMs?: number;
}

export interface SecondEngine {
  /** The unique directory that holds everything of this engine. */
  readonly baseDir: string;
  readonly socketPath: string;
  /** DOCKER_HOST-style URL: unix://<socketPath>. */
  readonly dockerHost: string;
  /** A dockerode client; it keeps working across stop()/start(). */
  readonly docker: Docker;
  /** The test image, present in this engine. */
  readonly image: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly containerdMode: ContainerdMode;
  /** dockerd's pid while it runs, else null. */
  readonly pid: number | null;
  running(): boolean;
  /** Starts dockerd (and containerd) on the same data root; resolves once it answers a ping. */
  start(): Promise<void>;
  /**
   * Stops dockerd and resolves once it and its containerd are gone. SIGKILL plays a crash:
   * containers keep running under their shims; stale pidfiles and sockets are removed.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** stop(signal) then start(). */
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** The last lines of dockerd's (and containerd's) log, grpc chatter left out. */
  logTail(lines?: number): string;
  /** Removes every container, stops the engine, deletes the base directory. Idempotent. */
  dispose(): Promise<void>;
}

const SYSTEM_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';
const SHIM_SOCKET_DIR = '/run/containerd/s';
// sun_path is 108 bytes; the longest socket is <base>/x/containerd/containerd.sock.ttrpc.
const MAX_BASE_LENGTH = 60;
const STOP_TIMEOUT_MS = 45_000;
const GONE_TIMEOUT_MS = 15_000;

const live = new Set<Engine>();
let exitHookInstalled = false;

/** Why no second engine can run here (not root, a program missing), or null when it can. */
export function secondEngineProblem(): string | null {
  if (process.platform !== 'linux') return `a second dockerd needs Linux, not ${process.platform}`;
  const uid = process.getuid?.();
  if (uid !== 0) return `a second dockerd needs root (this is uid ${uid})`;
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const program of ['dockerd', 'containerd', 'unshare', 'umount']) {
    const found = path.some((dir) => {
      try {
        accessSync(join(dir, program), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) return `a second dockerd needs ${program}, which is not on PATH`;
  }
  return null;
}

const announced = new Set<string>();

/**
 * A suite that needs a second engine (and the main one, whose image it copies): like
 * describeWithDocker, it fails under CI and is skipped elsewhere when one cannot run here.
 */
export function describeWithSecondEngine(name: string, fn: () => void): void {
  describeWithDocker(name, () => {
    const problem = secondEngineProblem();
    if (!problem) {
      fn();
      return;
    }
    if (isCi()) {
      it('can run a second Docker engine', () => {
        throw new Error(problem);
      });
      return;
    }
    if (!announced.has(problem)) {
      announced.add(problem);
      console.warn(`[berth tests] skipping: ${problem}`);
    }
    it.skip(problem, () => {});
  });
}

/** Starts a second engine in a fresh temp directory and loads the test image into it. */
export async function startSecondEngine(options: SecondEngineOptions = {}): Promise<SecondEngine> {
  const engine = new Engine(options);
  try {
    await engine.start();
    await engine.loadImage(options.source ?? testDocker(), options.image ?? testImage());
  } catch (err) {
    await engine.dispose().catch((disposeErr: unknown) => {
      (err as Error).message += `\n(and disposing it failed: ${String(disposeErr)})`;
    });
    throw err;
  }
  return engine;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Proc {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  exit: Exit | null;
}

class Engine implements SecondEngine {
  readonly baseDir: string;
  readonly socketPath: string;
  readonly dockerHost: string;
  readonly docker: Docker;
  image: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly containerdMode: ContainerdMode;
  private readonly pidFile: string;
  private readonly configFile: string;
  private readonly logFile: string;
  private readonly containerdDir: string;
  private readonly containerdSocket: string;
  private readonly containerdLog: string;
  private readonly dockerdArgs: string[];
  private readonly startTimeoutMs: number;
  private dockerd: Proc | null = null;
  private containerd: Proc | null = null;
  private disposed = false;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(options: SecondEngineOptions) {
    this.containerdMode = options.containerd ?? (existsSync(SYSTEM_CONTAINERD_SOCKET) ? 'separate' : 'managed');
    this.dockerdArgs = options.dockerdArgs ?? [];
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.image = options.image ?? '';
    let parent = tmpdir();
    if (parent.length > MAX_BASE_LENGTH - 12) parent = '/tmp';
    this.baseDir = mkdtempSync(join(parent, 'bse-'));
    this.socketPath = join(this.baseDir, 'docker.sock');
    this.dockerHost = `unix://${this.socketPath}`;
    this.dataRoot = join(this.baseDir, 'd');
    this.execRoot = join(this.baseDir, 'x');
    this.pidFile = join(this.baseDir, 'docker.pid');
    this.configFile = join(this.baseDir, 'daemon.json');
    this.logFile = join(this.baseDir, 'dockerd.log');
    // The same place dockerd puts its managed containerd, in both modes.
    this.containerdDir = join(this.execRoot, 'containerd');
    this.containerdSocket = join(this.containerdDir, 'containerd.sock');
    this.containerdLog = join(this.baseDir, 'containerd.log');
    this.docker = new Docker({ socketPath: this.socketPath });

    mkdirSync(this.dataRoot, { recursive: true });
    mkdirSync(this.execRoot, { recursive: true });
    // Our own config file, so the machine's /etc/docker/daemon.json (live-restore, hosts,
    // data-root, …) never leaks in; and our own key, or dockerd 20.10 shares the main
    // engine's /etc/docker/key.json and reports the same engine ID (newer versions keep the
    // ID in the data root and ignore this key).
    writeFileSync(this.configFile, `${JSON.stringify({ 'deprecated-key-path': join(this.baseDir, 'key.json') }, null, 2)}\n`);
    live.add(this);
    installExitHook();
  }

  get pid(): number | null {
    return this.dockerd?.pid ?? null;
  }

  running(): boolean {
    return this.dockerd !== null;
  }

  start(): Promise<void> {
    return this.serially(() => this.doStart());
  }

  stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    return this.serially(() => this.doStop(signal));
  }

  restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    return this.serially(async () => {
      await this.doStop(signal);
      await this.doStart();
    });
  }

  dispose(): Promise<void> {
    return this.serially(() => this.doDispose());
  }

  logTail(lines = 25): string {
    const tail = (file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter((line) => line !== '' && !line.includes('module=grpc'))
        .slice(-lines);
    };
    const parts = [`dockerd log (${this.logFile}):`, ...tail(this.logFile)];
    if (this.containerdMode === 'separate') parts.push(`containerd log (${this.containerdLog}):`, ...tail(this.containerdLog));
    return parts.join('\n');
  }

  /** Copies `image` from `source` (docker save | docker load), unless it is already here. */
  async loadImage(source: Docker, image: string): Promise<void> {
    this.image = image;
    if (await this.hasImage(image)) return;
    const tar = await source.getImage(image).get();
    const reply = await this.docker.loadImage(tar);
    const messages = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      this.docker.modem.followProgress(reply, (err: Error | null, out: Array<Record<string, unknown>>) =>
        err ? reject(err) : resolve(out),
      );
    });
    const failed = messages.find((m) => m.error !== undefined || m.errorDetail !== undefined);
    if (failed) throw new Error(`loading ${image} into the second engine failed: ${JSON.stringify(failed)}`);
    if (!(await this.hasImage(image))) throw new Error(`loaded ${image} into the second engine but it is not there`);
  }

  private async hasImage(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return false;
      throw err;
    }
  }

  // start/stop/dispose never overlap, whatever order a test calls them in.
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.busy.then(fn, fn);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async doStart(): Promise<void> {
    if (this.disposed) throw new Error('the second engine was disposed');
    if (this.dockerd) throw new Error(`the second engine is already running (dockerd pid ${this.dockerd.pid})`);
    const deadline = Date.now() + this.startTimeoutMs;
    const args = [
      '--config-file', this.configFile,
      '--data-root', this.dataRoot,
      '--exec-root', this.execRoot,
      '--pidfile', this.pidFile,
      '--host', this.dockerHost,
      // No bridge, NAT, iptables chains or forwarding sysctl; in its own network namespace
      // (see spawnLogged) even so, since `--bridge none` deletes docker0.
      '--bridge', 'none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
      '--ip-forward=false',
      ...this.dockerdArgs,
    ];
    if (this.containerdMode === 'separate') {
      await this.startContainerd(deadline);
      args.push('--containerd', this.containerdSocket);
    }
    this.dockerd = spawnLogged('dockerd', args, this.logFile);
    try {
      await this.waitForPing(this.dockerd, deadline);
    } catch (err) {
      await this.doStop('SIGKILL').catch(() => undefined);
      throw err;
    }
  }

  private async startContainerd(deadline: number): Promise<void> {
    if (this.containerd) return;
    mkdirSync(this.containerdDir, { recursive: true });
    const config = join(this.baseDir, 'containerd.toml');
    writeFileSync(
      config,
      [
        'version = 2',
        `root = ${JSON.stringify(join(this.dataRoot, 'containerd', 'daemon'))}`,
        `state = ${JSON.stringify(join(this.containerdDir, 'daemon'))}`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
        '',
        '[grpc]',
        `  address = ${JSON.stringify(this.containerdSocket)}`,
        '',
      ].join('\n'),
    );
    const proc = spawnLogged('containerd', ['--config', config], this.containerdLog);
    this.containerd = proc;
    while (!(await canConnect(this.containerdSocket))) {
      if (proc.exit) {
        this.containerd = null;
        throw new Error(`containerd for the second engine exited (${describeExit(proc.exit)}) before it listened\n${this.logTail()}`);
      }
      if (Date.now() > deadline) {
        await killAndWait(proc, 'SIGKILL');
        this.containerd = null;
        throw new Error(`containerd for the second engine did not listen on ${this.containerdSocket} in time\n${this.logTail()}`);
      }
      await sleep(50);
    }
  }

  private async waitForPing(proc: Proc, deadline: number): Promise<void> {
    for (;;) {
      if (proc.exit) {
        throw new Error(`the second dockerd exited (${describeExit(proc.exit)}) before it answered on ${this.dockerHost}\n${this.logTail()}`);
      }
      if (await ping(this.socketPath)) return;
      if (Date.now() > deadline) {
        throw new Error(`the second dockerd did not answer on ${this.dockerHost} within ${this.startTimeoutMs / 1000} s\n${this.logTail()}`);
      }
      await sleep(100);
    }
  }

  private async doStop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const dockerd = this.dockerd;
    let problem: string | null = null;
    if (dockerd) {
      if (!(await killAndWait(dockerd, signal, STOP_TIMEOUT_MS))) {
        problem = `the second dockerd (pid ${dockerd.pid}) did not exit within ${STOP_TIMEOUT_MS / 1000} s of ${signal}; killed it`;
        await killAndWait(dockerd, 'SIGKILL');
        signal = 'SIGKILL';
      }
      this.dockerd = null;
    }

    // The managed containerd: gone after a clean shutdown, killed by its parent-death signal
    // after a SIGKILL; make sure, since the next dockerd would adopt a live pid in its pidfile.
    const pidFile = join(this.containerdDir, 'containerd.pid');
    const managedPid = readPid(pidFile);
    if (managedPid !== null && this.ownsProcess(managedPid)) {
      process.kill(managedPid, 'SIGKILL');
      if (!(await waitGone(managedPid, GONE_TIMEOUT_MS))) problem ??= `containerd (pid ${managedPid}) outlived SIGKILL`;
    }
    rmSync(pidFile, { force: true });

    if (this.containerd) {
      // Ours: stopped the way dockerd stops a managed one (SIGTERM, then SIGKILL), or killed
      // with dockerd to play the same crash.
      if (!(await killAndWait(this.containerd, signal, 10_000))) await killAndWait(this.containerd, 'SIGKILL');
      this.containerd = null;
    }

    if (signal === 'SIGKILL') {
      // dockerd refuses to start while docker.pid names a live process (a recycled pid, say).
      rmSync(this.pidFile, { force: true });
      rmSync(this.socketPath, { force: true });
    }
    if (problem) throw new Error(`${problem}\n${this.logTail()}`);
  }

  private async doDispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const problems: string[] = [];
    if (this.dockerd) {
      try {
        await withTimeout(this.removeAllContainers(), 30_000, 'removing the containers');
        await this.doStop('SIGTERM');
      } catch (err) {
        problems.push(String(err));
        await this.doStop('SIGKILL').catch((e: unknown) => problems.push(String(e)));
      }
    } else {
      await this.doStop('SIGKILL').catch((e: unknown) => problems.push(String(e)));
    }
    // A crash (or a failed stop) leaves containers, shims and mounts behind.
    const shimSockets = this.shimSockets();
    this.deleteOrphanedContainers();
    for (const pid of this.processesOfOurs()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of this.processesOfOurs()) {
      if (!(await waitGone(pid, GONE_TIMEOUT_MS))) problems.push(`process ${pid} (${cmdline(pid)}) outlived SIGKILL`);
    }
    // A killed shim cannot remove its socket, which lives outside our directory.
    for (const socket of shimSockets) rmSync(socket, { force: true });
    for (const mountPoint of mountsUnder(this.baseDir)) {
      if (spawnSync('umount', [mountPoint]).status !== 0 && spawnSync('umount', ['-l', mountPoint]).status !== 0) {
        problems.push(`cannot unmount ${mountPoint}`);
      }
    }
    try {
      rmSync(this.baseDir, { recursive: true, force: true, maxRetries: 3 });
    } catch (err) {
      problems.push(`cannot delete ${this.baseDir}: ${String(err)}`);
    }
    live.delete(this);
    if (problems.length > 0) throw new Error(`disposing the second engine: ${problems.join('; ')}`);
  }

  private async removeAllContainers(): Promise<void> {
    const containers = await this.docker.listContainers({ all: true });
    await Promise.all(
      containers.map((c) =>
        this.docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch((err: { statusCode?: number }) => {
            if (err.statusCode !== 404) throw err;
          }),
      ),
    );
  }

  /**
   * The sockets of the shims containerd still has tasks for. containerd puts them in
   * /run/containerd/s, named by the sha256 of "<containerd socket>/<namespace>/<id>", whatever
   * its own state directory; a shim removes its socket when containerd shuts it down.
   */
  private shimSockets(): string[] {
    const tasks = join(this.containerdDir, 'daemon', 'io.containerd.runtime.v2.task');
    return listDir(tasks).flatMap((namespace) =>
      listDir(join(tasks, namespace)).map((id) => shimSocketPath(this.containerdSocket, namespace, id)),
    );
  }

  /** Kills and deletes what runc still has under our exec root (containers a crash left). */
  private deleteOrphanedContainers(): void {
    const runtimeRoot = join(this.execRoot, 'runtime-runc');
    for (const namespace of listDir(runtimeRoot)) {
      const root = join(runtimeRoot, namespace);
      for (const id of listDir(root)) {
        const deleted = spawnSync('runc', ['--root', root, 'delete', '--force', id], { timeout: 10_000 }).status === 0;
        if (deleted) continue;
        // No runc on PATH, or it failed: kill the init process itself, if it is still that one.
        try {
          const state = JSON.parse(readFileSync(join(root, id, 'state.json'), 'utf8')) as {
            init_process_pid?: number;
            init_process_start?: number | string;
          };
          const pid = state.init_process_pid;
          if (pid && String(processStartTime(pid)) === String(state.init_process_start)) process.kill(pid, 'SIGKILL');
        } catch {
          // no state, or the process is gone
        }
      }
    }
  }

  private processesOfOurs(): number[] {
    return processesUsing(this.baseDir);
  }

  private ownsProcess(pid: number): boolean {
    return isAlive(pid) && cmdline(pid).includes(`${this.baseDir}/`);
  }

  /** Best effort when the test process exits without dispose(): let dockerd shut down. */
  signalOnExit(): void {
    for (const proc of [this.dockerd, this.containerd]) {
      if (proc && !proc.exit) {
        try {
          process.kill(proc.pid, 'SIGTERM');
        } catch {
          // gone
        }
      }
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const engine of live) engine.signalOnExit();
  });
}

/**
 * Runs `command` in a new network namespace (unshare execs it, so the pid is the command's),
 * its output appended to `logFile`. There is deliberately no fallback without the namespace.
 */
function spawnLogged(command: string, args: string[], logFile: string): Proc {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // Not detached: a Ctrl-C in the terminal reaches dockerd too, which then shuts down.
    child = spawn('unshare', ['--net', '--', command, ...args], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  child.unref();
  const proc: Proc = {
    child,
    pid: child.pid ?? -1,
    exit: null,
    exited: new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        proc.exit = { code, signal };
        resolve(proc.exit);
      });
      child.once('error', (err) => {
        writeFileSync(logFile, `cannot run unshare --net ${command}: ${err.message}\n`, { flag: 'a' });
        proc.exit ??= { code: null, signal: null };
        resolve(proc.exit);
      });
    }),
  };
  return proc;
}

/** Sends `signal` (unless it already exited) and waits up to `timeoutMs`; true once it exited. */
async function killAndWait(proc: Proc, signal: NodeJS.Signals, timeoutMs = GONE_TIMEOUT_MS): Promise<boolean> {
  if (proc.exit) return true;
  try {
    process.kill(proc.pid, signal);
  } catch {
    // already gone; the exit event follows
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const done = await Promise.race([proc.exited.then(() => true), timedOut]);
  clearTimeout(timer);
  return done;
}

function describeExit(exit: Exit): string {
  if (exit.signal) return `signal ${exit.signal}`;
  if (exit.code === null) return 'could not be run';
  return `exit code ${exit.code}`;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces; the fields after it do not.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Live processes whose command line names `dir` (for a second engine: dockerd, containerd, shims). */
export function processesUsing(dir: string): number[] {
  const needle = `${dir}/`;
  const pids: number[] = [];
  for (const entry of listDir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== process.pid && isAlive(pid) && cmdline(pid).includes(needle)) pids.push(pid);
  }
  return pids;
}

/** Where containerd (1.5 and later) puts the socket of the shim of task `id`. */
export function shimSocketPath(containerdSocket: string, namespace: string, id: string): string {
  return join(SHIM_SOCKET_DIR, createHash('sha256').update(join(containerdSocket, namespace, id)).digest('hex'));
}

/** Alive means running: a zombie nobody has reaped yet counts as gone. */
export function isAlive(pid: number): boolean {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

function processStartTime(pid: number): string | undefined {
  // Field 22 of /proc/<pid>/stat; the slice above starts at field 3.
  return procStat(pid)?.[19];
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const points = new Set<string>();
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (!field) continue;
    const point = field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (point === dir || point.startsWith(`${dir}/`)) points.add(point);
  }
  return [...points].sort((a, b) => b.length - a.length);
}
