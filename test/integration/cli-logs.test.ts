// `berth logs` against a real Berth and its HTTP server (in this process), with jobs on the test
// Docker engine. The main checks run the command as a user does, in a child process (the CLI from
// source, through tsx), and look at what lands on stdout and on stderr and at the exit code; the
// variations of the filters call the same `main()` in this process, with streams of its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LogEntry } from '../../src/shared/model';
import { Auth, readOrCreateToken } from '../../src/main/server/auth';
import { BerthHttpServer } from '../../src/main/server/http-server';
import type { CliIo } from '../../src/main/cli/command';
import { resolveEndpoint } from '../../src/main/cli/endpoint';
import { LogsSession } from '../../src/main/cli/logs';
import { parseLogsArgs, type LogsOptions } from '../../src/main/cli/logs/options';
import { hasStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { runCli } from '../support/cli-run';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

const root = resolve(__dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describeWithDocker('berth logs', () => {
  let tb: TestBerth;
  let server: BerthHttpServer;
  let port: number;
  let runner: string;
  let runnerDir: string;
  /** A job that printed numbered lines to stdout and stderr, a warning, and a second part after a pause. */
  let job: number;
  /** All its stored lines, oldest first. */
  let stored: LogEntry[];

  const call = <T>(name: string, input: unknown) => tb.berth.service.call(name as never, input as never) as Promise<T>;

  async function template(name: string, script: string): Promise<number> {
    const t = await call<{ id: number }>('templates.create', { name, image: testImage(), command: ['sh', '-c', script] });
    return t.id;
  }

  async function runJob(templateId: number): Promise<number> {
    return (await call<{ id: number }>('jobs.run', { templateId })).id;
  }

  async function query(input: Record<string, unknown>): Promise<LogEntry[]> {
    return (await call<{ logs: LogEntry[] }>('logs.query', { limit: 100_000, ...input })).logs;
  }

  /** Runs `berth <args>` (port and data dir added); `onStdout` sees stdout as it comes. */
  function berth(args: string[], opts: { onStdout?: (text: string, child: ReturnType<typeof spawn>) => void; portOverride?: number } = {}): Promise<Run> {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, ...args, '--port', String(opts.portOverride ?? port), '--data-dir', tb.dir], {
      cwd: root,
      env: { ...process.env, BERTH_PORT: '', BERTH_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(stdout, child);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    return new Promise((resolvePromise, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    });
  }

  /** Runs `berth <args>` through `main()` in this process. */
  async function cli(args: string[]): Promise<Run> {
    return { ...(await runCli([...args, '--port', String(port), '--data-dir', tb.dir])), signal: null };
  }

  const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  /** What `berth logs` should print for these entries: [stdout lines, stderr lines]. */
  const expected = (entries: LogEntry[]): [string[], string[]] => [
    entries.filter((e) => !e.isStdErr && !e.isSystem).map((e) => e.message),
    entries.filter((e) => e.isStdErr || e.isSystem).map((e) => (e.isSystem ? `[berth] ${e.message}` : e.message)),
  ];
  const outAndErr = (run: Run): [string[], string[]] => [lines(run.stdout), lines(run.stderr)];

  beforeAll(async () => {
    tb = startTestBerth();
    server = new BerthHttpServer({ berth: tb.berth, auth: new Auth(readOrCreateToken(tb.dir)), port: 0, rendererDir: null, onError: (err) => console.error(err) });
    port = await server.listen();
    // The CLI from source, started the way bin/berth.mjs starts the built one.
    runnerDir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
    runner = join(runnerDir, 'berth.ts');
    writeFileSync(
      runner,
      `import { main } from ${JSON.stringify(join(root, 'src/main/cli'))};\nvoid main(process.argv.slice(2)).then((code) => { if (code !== null) process.exit(code); });\n`,
    );

    const script = [
      'i=1; while [ $i -le 200 ]; do echo "out line $i"; echo "err line $i" >&2; i=$((i+1)); done',
      `echo '{"level":"warn","msg":"disk nearly full"}'`,
      'echo "needle alpha beta"',
      'echo "alpha only"',
      'sleep 1.2',
      'echo "late line 1"; echo "late err 1" >&2; echo "late line 2"',
    ].join('; ');
    job = await runJob(await template('cli-numbered', script));
    const done = await waitForJob(tb.berth, job, 30_000);
    expect(done.status).toBe('completed');
    stored = await query({ jobId: job });
  });

  afterAll(async () => {
    await server?.close();
    await tb?.dispose();
    if (runnerDir) rmSync(runnerDir, { recursive: true, force: true });
  });

  it('prints every line in order, stdout lines to stdout and stderr lines to stderr', async () => {
    const run = await berth(['logs', String(job)]);
    expect(run.code, run.stderr).toBe(0);
    const [out, err] = outAndErr(run);
    const numbered = (prefix: string) => Array.from({ length: 200 }, (_, i) => `${prefix} ${i + 1}`);
    expect(out).toEqual([...numbered('out line'), '{"level":"warn","msg":"disk nearly full"}', 'needle alpha beta', 'alpha only', 'late line 1', 'late line 2']);
    expect(err.filter((l) => !l.startsWith('[berth] '))).toEqual([...numbered('err line'), 'late err 1']);
    // Berth's own lines about the job go to stderr, marked.
    expect(err).toContain('[berth] Container exited with code 0');
    expect([out, err]).toEqual(expected(stored));
  });

  it('--tail prints the last lines, in order', async () => {
    const run = await cli(['logs', '--tail', '7', String(job)]);
    expect(run.code, run.stderr).toBe(0);
    expect(outAndErr(run)).toEqual(expected(stored.slice(-7)));
    const none = await cli(['logs', '-n', '0', String(job)]);
    expect([none.code, none.stdout, none.stderr]).toEqual([0, '', '']);
  });

  it('--level keeps the lines of those levels', async () => {
    const warn = await cli(['logs', '--level', 'warn', String(job)]);
    expect(warn.code, warn.stderr).toBe(0);
    expect(lines(warn.stdout)).toEqual(['{"level":"warn","msg":"disk nearly full"}']);
    expect(outAndErr(warn)).toEqual(expected(stored.filter((e) => e.level === 'warn')));
    const two = await cli(['logs', '--level', 'warn,error', '--no-system', String(job)]);
    expect(lines(two.stdout)).toEqual(['{"level":"warn","msg":"disk nearly full"}']);
    expect(lines(two.stderr)).toEqual(stored.filter((e) => e.level === 'error' && !e.isSystem).map((e) => e.message));
  });

  it('--grep finds lines with all the words', async () => {
    const both = await cli(['logs', '--grep', 'beta alpha', String(job)]);
    expect(both.code, both.stderr).toBe(0);
    expect([both.stdout, both.stderr]).toEqual(['needle alpha beta\n', '']);
    const one = await cli(['logs', '--grep', 'ALPHA', String(job)]);
    expect(lines(one.stdout)).toEqual(['needle alpha beta', 'alpha only']);
  });

  it('--json prints one LogEntry per line, everything on stdout', async () => {
    const run = await cli(['logs', '--json', String(job)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const entries = lines(run.stdout).map((l) => JSON.parse(l) as LogEntry);
    expect(entries).toEqual(stored);
  });

  it('--since and --until take RFC 3339 times and Unix timestamps', async () => {
    const late = stored.find((e) => e.message === 'late line 1')!;
    expect(late.timestamp - stored.find((e) => e.message === 'alpha only')!.timestamp).toBeGreaterThan(1000);
    const since = await cli(['logs', '--since', new Date(late.timestamp).toISOString(), String(job)]);
    expect(since.code, since.stderr).toBe(0);
    expect(outAndErr(since)).toEqual(expected(stored.filter((e) => e.timestamp >= late.timestamp)));
    expect(lines(since.stdout)).toEqual(['late line 1', 'late line 2']);
    const until = await cli(['logs', '--until', (late.timestamp / 1000).toFixed(3), '--no-system', String(job)]);
    expect(lines(until.stdout).at(-1)).toBe('alpha only');
    // A relative time: an hour back covers it all.
    const hour = await cli(['logs', '--since', '1h', String(job)]);
    expect(outAndErr(hour)).toEqual(expected(stored));
  });

  it('-t begins each line with its time, RFC 3339 with nine fraction digits', async () => {
    const run = await cli(['logs', '-t', '--tail', '3', String(job)]);
    expect(run.code, run.stderr).toBe(0);
    const all = [...lines(run.stdout), ...lines(run.stderr)];
    expect(all).toHaveLength(3);
    for (const line of all) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}000000Z \S/);
    const last = stored.filter((e) => !e.isStdErr && !e.isSystem).at(-1)!;
    expect(lines(run.stdout).at(-1)).toBe(`${new Date(last.timestamp).toISOString().slice(0, 23)}000000Z ${last.message}`);
  });

  it('takes the job\'s container id as well as its number', async () => {
    const containerId = (await call<{ containerId: string }>('jobs.get', { id: job })).containerId;
    const run = await cli(['logs', '--no-system', containerId.slice(0, 12)]);
    expect(run.code, run.stderr).toBe(0);
    expect(outAndErr(run)).toEqual(expected(stored.filter((e) => !e.isSystem)));
  });

  it('-f prints a running job\'s lines as they come, each once, and exits when it has finished', async () => {
    const slow = await template('cli-slow', 'i=1; while [ $i -le 25 ]; do echo "slow $i"; echo "slow err $i" >&2; sleep 0.08; i=$((i+1)); done');
    const id = await runJob(slow);
    // One follower from the start, one that joins midway with a tail.
    const early = berth(['logs', '-f', String(id)]);
    let midTail: Promise<Run> | null = null;
    await waitForJob(tb.berth, id, 20_000, hasStatus('running'));
    await new Promise((r) => setTimeout(r, 600));
    midTail = berth(['logs', '-f', '--tail', '3', '--no-system', String(id)]);
    const [a, b] = await Promise.all([early, midTail]);
    const finished = await call<{ status: string; finishedAt: number }>('jobs.get', { id });
    expect(finished.status).toBe('completed');

    const numbered = (prefix: string) => Array.from({ length: 25 }, (_, i) => `${prefix} ${i + 1}`);
    expect(a.code, a.stderr).toBe(0);
    expect(lines(a.stdout)).toEqual(numbered('slow'));
    expect(lines(a.stderr).filter((l) => !l.startsWith('[berth] '))).toEqual(numbered('slow err'));
    expect(lines(a.stderr)).toContain('[berth] Container exited with code 0');
    expect(outAndErr(a)).toEqual(expected(await query({ jobId: id })));

    expect(b.code, b.stderr).toBe(0);
    const bLines = [...lines(b.stdout), ...lines(b.stderr)];
    // The tail and then every later line, none twice, in order per stream.
    const outB = lines(b.stdout);
    const firstOut = Number(outB[0]!.split(' ')[1]);
    expect(outB).toEqual(numbered('slow').slice(firstOut - 1));
    expect(new Set(bLines).size).toBe(bLines.length);
    expect(outB.at(-1)).toBe('slow 25');
    expect(lines(b.stderr).at(-1)).toBe('slow err 25');
  });

  it('-f on a finished job prints its lines and exits', async () => {
    const run = await berth(['logs', '-f', '--tail', '2', String(job)]);
    expect(run.code, run.stderr).toBe(0);
    expect(outAndErr(run)).toEqual(expected(stored.slice(-2)));
  });

  it('-f --grep and --level filter new lines too', async () => {
    const t = await template('cli-slow-grep', 'i=1; while [ $i -le 12 ]; do echo "tick $i"; if [ $((i % 4)) -eq 0 ]; then echo "ERROR code=$i" >&2; fi; sleep 0.05; i=$((i+1)); done');
    const id = await runJob(t);
    const [grep, level, json] = await Promise.all([
      berth(['logs', '-f', '--grep', 'tick', String(id)]),
      berth(['logs', '-f', '--level', 'error', '--no-system', String(id)]),
      berth(['logs', '-f', '--json', String(id)]),
    ]);
    expect(grep.code, grep.stderr).toBe(0);
    expect(lines(grep.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `tick ${i + 1}`));
    expect(grep.stderr).toBe('');
    expect(level.code, level.stderr).toBe(0);
    expect([level.stdout, lines(level.stderr)]).toEqual(['', ['ERROR code=4', 'ERROR code=8', 'ERROR code=12']]);
    // With --json, new lines are read back as whole entries.
    expect(json.code, json.stderr).toBe(0);
    expect(lines(json.stdout).map((l) => JSON.parse(l) as LogEntry)).toEqual(await query({ jobId: id }));
  });

  it('pages through many lines, and stops quietly when its reader goes (| head)', async () => {
    const big = await runJob(await template('cli-big', 'i=1; while [ $i -le 30000 ]; do echo "big line $i"; i=$((i+1)); done'));
    await waitForJob(tb.berth, big, 60_000);
    // In-process, with small pages so that several are needed forward and back.
    const run = async (argv: string[]) => {
      const options = parseLogsArgs([...argv, '--port', String(port), '--data-dir', tb.dir], Date.now()) as LogsOptions;
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      const io: CliIo = { stdout, stderr, env: {}, now: () => Date.now(), onInterrupt: () => () => undefined };
      const code = await new LogsSession(options, resolveEndpoint(options.args, {}), io, { pageSize: 1000, maxQueuedLines: 1000 }).run();
      return { code, out, err };
    };
    const all = await run(['--no-system', String(big)]);
    expect(all.code).toBe(0);
    expect(lines(all.out)).toEqual(Array.from({ length: 30000 }, (_, i) => `big line ${i + 1}`));
    const tail = await run(['--no-system', '--tail', '2500', String(big)]);
    expect(lines(tail.out)).toEqual(Array.from({ length: 2500 }, (_, i) => `big line ${27501 + i}`));

    // As a child whose stdout is closed after the first line: no error, exit 0.
    const head = await berth(['logs', '--no-system', String(big)], {
      onStdout: (text, child) => {
        if (text.includes('\n')) child.stdout!.destroy();
      },
    });
    expect(head.stderr).toBe('');
    expect([head.code, head.signal]).toEqual([0, null]);
  });

  it('-f keeps up with a fast job through a slow reader: every line once, in order', async () => {
    // 20,000 lines in bursts of 2,000, so that many arrive while the first are still being printed.
    const id = await runJob(
      await template('cli-fast', 'i=1; while [ $i -le 20000 ]; do echo "fast line $i"; if [ $((i % 2000)) -eq 0 ]; then sleep 0.15; fi; i=$((i+1)); done'),
    );
    const options = parseLogsArgs(['-f', '--no-system', String(id), '--port', String(port), '--data-dir', tb.dir], Date.now()) as LogsOptions;
    let out = '';
    // A reader that takes a while over each chunk: batches pile up, get dropped and are read back.
    const stdout = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        setTimeout(cb, 4);
      },
    });
    const stderr = new PassThrough();
    const io: CliIo = { stdout, stderr, env: {}, now: () => Date.now(), onInterrupt: () => () => undefined };
    const code = await new LogsSession(options, resolveEndpoint(options.args, {}), io, { pageSize: 700, maxQueuedLines: 300 }).run();
    expect(code).toBe(0);
    expect((await call<{ status: string }>('jobs.get', { id })).status).toBe('completed');
    expect(lines(out)).toEqual(Array.from({ length: 20000 }, (_, i) => `fast line ${i + 1}`));
  });

  it('finds an attached container by name, and follows it until Ctrl-C', async () => {
    const name = `berth-cli-attached-${process.pid}`;
    const docker = testDocker();
    const container = await docker.createContainer({
      Image: testImage(),
      name,
      Cmd: ['sh', '-c', 'i=1; while true; do echo "attached $i"; i=$((i+1)); sleep 0.1; done'],
    });
    try {
      await container.start();
      const attached = await call<{ containerId: string }>('logs.attach', { containerId: name });
      // Wait until some lines are stored.
      for (let i = 0; i < 100 && (await query({ containerId: attached.containerId, sourceType: 'container' })).length < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const stored = await cli(['logs', '--no-system', name]);
      expect(stored.code, stored.stderr).toBe(0);
      expect(lines(stored.stdout).slice(0, 3)).toEqual(['attached 1', 'attached 2', 'attached 3']);
      const byId = await cli(['logs', '--no-system', '--tail', '1', attached.containerId.slice(0, 16)]);
      expect(byId.code, byId.stderr).toBe(0);
      expect(lines(byId.stdout)).toHaveLength(1);

      let interrupted = false;
      const followed = await berth(['logs', '-f', '--tail', '2', name], {
        onStdout: (text, child) => {
          // Once it has printed a few new lines, press Ctrl-C.
          if (!interrupted && lines(text).length >= 6) {
            interrupted = true;
            child.kill('SIGINT');
          }
        },
      });
      expect(followed.code, followed.stderr).toBe(130);
      const got = lines(followed.stdout).map((l) => Number(l.split(' ')[1]));
      expect(got.length).toBeGreaterThanOrEqual(6);
      // Consecutive, none twice.
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => got[0]! + i));

      // --until ends following at that time.
      const until = Date.now() + 1500;
      const bounded = await berth(['logs', '-f', '--no-system', '--tail', '1', '--until', new Date(until).toISOString(), name]);
      expect(bounded.code, bounded.stderr).toBe(0);
      expect(Date.now()).toBeGreaterThanOrEqual(until);
      const seen = lines(bounded.stdout).map((l) => Number(l.split(' ')[1]));
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => seen[0]! + i));
      const last = (await query({ containerId: attached.containerId, sourceType: 'container', until })).at(-1)!;
      expect(seen.at(-1)).toBe(Number(last.message.split(' ')[1]));

      // A Berth that shuts down while followed: say so, exit 1.
      const second = new BerthHttpServer({ berth: tb.berth, auth: new Auth(readOrCreateToken(tb.dir)), port: 0, rendererDir: null });
      const secondPort = await second.listen();
      let closing: Promise<void> | null = null;
      const cut = await berth(['logs', '-f', '--tail', '1', name], {
        portOverride: secondPort,
        onStdout: (text) => {
          if (!closing && lines(text).length >= 3) closing = second.close();
        },
      });
      await closing;
      expect(cut.code).toBe(1);
      expect(lines(cut.stderr).at(-1)).toMatch(new RegExp(`^berth: (Berth on 127\\.0\\.0\\.1:${secondPort} is shutting down|lost the connection to Berth on 127\\.0\\.0\\.1:${secondPort})`));
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  });

  it('says so when Berth is not running, or when the job or container is unknown', async () => {
    const free = await new Promise<number>((r) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => r(p));
      });
    });
    const down = await berth(['logs', String(job)], { portOverride: free });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`berth: Berth is not running on 127.0.0.1:${free} (start it with \`berth serve\`)\n`);
    const unknownJob = await cli(['logs', '99999']);
    expect(unknownJob.code).toBe(1);
    expect(unknownJob.stderr).toMatch(/^berth: .*99999/);
    const unknownName = await cli(['logs', 'no-such-container']);
    expect(unknownName.code).toBe(1);
    expect(unknownName.stderr).toMatch(/follows no container named 'no-such-container'/);
    const usage = await cli(['logs', '--tail', 'x', String(job)]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--tail takes a number.*\n\nUsage: berth logs/s);
  });
});
