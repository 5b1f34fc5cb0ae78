// `berth jobs|templates|hosts` against a real Berth and its HTTP server (in this process), with
// jobs on the test Docker engine. `jobs run --wait` runs as a user runs it, in a child process
// (the CLI from source through tsx, started the way bin/berth.mjs starts the built one), so its
// exit code and streams are the real ones; the other commands call the same `main()` in this
// process. One check greps every output for a secret value that must never appear.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Host, Job, Template } from '../../src/shared/model';
import { Auth, readOrCreateToken } from '../../src/main/server/auth';
import { BerthHttpServer } from '../../src/main/server/http-server';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { runCli } from '../support/cli-run';
import { describeWithDocker, testImage } from '../support/test-env';

const root = resolve(__dirname, '../..');
const secretValue = 'cli-secret-5d1e-do-not-print';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describeWithDocker('berth jobs, templates and hosts', () => {
  let tb: TestBerth;
  let server: BerthHttpServer;
  let port: number;
  let tmp: string;
  let runner: string;
  let downHost: Host;

  const call = <T>(name: string, input: unknown) => tb.berth.service.call(name as never, input as never) as Promise<T>;

  /** `berth <args>` in a child process, as a user runs it. */
  function berth(args: string[]): Promise<Run> {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, ...args, '--port', String(port), '--data-dir', tb.dir], {
      cwd: root,
      env: { ...process.env, BERTH_PORT: '', BERTH_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    return new Promise((res, rej) => {
      child.on('error', rej);
      child.on('close', (code) => res({ code, stdout, stderr }));
    });
  }

  /** `berth <args>` through `main()` in this process. */
  const cli = (...args: string[]): Promise<Run> => runCli([...args, '--port', String(port), '--data-dir', tb.dir]);

  beforeAll(async () => {
    tb = startTestBerth();
    server = new BerthHttpServer({ berth: tb.berth, auth: new Auth(readOrCreateToken(tb.dir)), port: 0, rendererDir: null, onError: (err) => console.error(err) });
    port = await server.listen();
    tmp = mkdtempSync(join(tmpdir(), 'berth-cli-jobs-'));
    runner = join(tmp, 'berth.ts');
    writeFileSync(
      runner,
      `import { main } from ${JSON.stringify(join(root, 'src/main/cli'))};\nvoid main(process.argv.slice(2)).then((code) => { if (code !== null) process.exit(code); });\n`,
    );
    await call('templates.create', { name: 'exit-three', image: testImage(), command: ['sh', '-c', 'echo "hello from $WHO"; echo "to stderr" >&2; exit 3'], env: { WHO: 'the template' } });
    await call('templates.create', { name: 'no-image', image: 'berth-test-absent:none', pullPolicy: 'never' });
    await call('templates.create', {
      name: 'with-secret',
      image: testImage(),
      command: ['sh', '-c', 'printf %s "$API_KEY" | sha256sum'],
      secretEnv: { API_KEY: secretValue },
    });
    downHost = await call<Host>('hosts.add', { name: 'nowhere', kind: 'tcp', address: '127.0.0.1:1' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await tb?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('`jobs run <template> --wait` prints the output and exits with the job’s exit code', async () => {
    const run = await berth(['jobs', 'run', 'exit-three', '--wait', '--env', 'WHO=the cli']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe('hello from the cli\n');
    expect(run.stderr).toContain('to stderr');
    expect(run.stderr).toContain('[berth] Container exited with code 3');
  });

  it('`jobs run --wait` of a job Berth cannot start exits 1 with the reason', async () => {
    const run = await cli('jobs', 'run', 'no-image', '--wait');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/berth: job \d+ failed: .*berth-test-absent/);
  });

  it('`jobs run` without --wait queues the job and prints its id; `jobs cancel` cancels it', async () => {
    const queued = await cli('jobs', 'run', 'exit-three', '--host', 'nowhere');
    expect(queued.code, queued.stderr).toBe(0);
    const id = Number(queued.stdout.trim());
    expect((await call<Job>('jobs.get', { id })).status).toBe('pending');
    const cancelled = await cli('jobs', 'cancel', String(id), '999999');
    expect(cancelled.code).toBe(1);
    expect(cancelled.stdout).toBe(`${id} cancelled\n`);
    expect(cancelled.stderr).toMatch(/job 999999: .*does not exist/);
  });

  it('`jobs list --json` parses and filters; the table and `jobs show` read well', async () => {
    const all = await cli('jobs', 'list', '--json');
    expect(all.code, all.stderr).toBe(0);
    const jobs = JSON.parse(all.stdout) as Job[];
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    const failed = JSON.parse((await cli('jobs', 'list', '--json', '--status', 'failed', '--template', 'exit-three')).stdout) as Job[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((j) => j.status === 'failed' && j.templateName === 'exit-three')).toBe(true);

    const table = await cli('jobs', 'list', '--status', 'failed,cancelled');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+TEMPLATE\s+TRIGGER\s+HOST\s+CREATED\s+RAN\s+EXIT$/);
    // Cancelled while it waited: it never had a host.
    expect(table.stdout).toMatch(/cancelled\s+exit-three\s+manual\s+-\s/);

    const shown = await cli('jobs', 'show', String(failed[0]!.id));
    expect(shown.stdout).toMatch(/^Status:\s+failed$/m);
    expect(shown.stdout).toMatch(/^Exit code:\s+3$/m);
    expect(shown.stdout).toMatch(/^Env:\s+WHO=the cli$/m);
    expect((await cli('jobs', 'show', '424242')).code).toBe(1);
  });

  it('`templates export` and `templates import` round-trip the templates', async () => {
    const file = join(tmp, 'templates.yaml');
    expect((await cli('templates', 'export', '--out', file)).code).toBe(0);
    const yaml = readFileSync(file, 'utf8');
    expect(yaml).toContain('name: exit-three');
    const before = await call<Template[]>('templates.list', {});
    const noImage = before.find((t) => t.name === 'no-image')!;
    await call('templates.delete', { id: noImage.id });

    const imported = await cli('templates', 'import', file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.split('\n').filter(Boolean).sort()).toEqual(['created no-image', 'updated exit-three', 'updated with-secret']);
    const back = (await call<Template[]>('templates.list', {})).find((t) => t.name === 'no-image')!;
    const strip = ({ id: _i, createdAt: _c, updatedAt: _u, ...rest }: Template) => rest;
    expect(strip(back)).toEqual(strip(noImage));
    // The secret already set survives the replace.
    expect((await call<Template[]>('templates.list', {})).find((t) => t.name === 'with-secret')!.secretEnv).toEqual({ API_KEY: '••••' });
  });

  it('`hosts list` and `hosts test` show each host’s state; test exits 1 when one is down', async () => {
    const listed = JSON.parse((await cli('hosts', 'list', '--json')).stdout) as Host[];
    expect(listed.map((h) => h.name).sort()).toEqual(['local', 'nowhere']);
    const table = await cli('hosts', 'list');
    expect(table.stdout).toMatch(/^ID\s+NAME\s+KIND/);
    const local = await cli('hosts', 'test', 'local');
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout).toMatch(/^local\s+up\s+\S+/m);
    const both = await cli('hosts', 'test');
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(new RegExp(`^${downHost.name}\\s+down`, 'm'));
  });

  it('never prints a secret value: run output, jobs show, jobs list, templates list, templates export', async () => {
    const run = await cli('jobs', 'run', 'with-secret', '--wait');
    expect(run.code, run.stderr).toBe(0);
    // The value reached the container: the job printed its hash.
    expect(run.stdout).toContain(createHash('sha256').update(secretValue).digest('hex'));
    const id = Number(/job (\d+) queued/.exec(run.stderr)![1]);
    await waitForJob(tb.berth, id, 30_000);
    const outputs = [
      run,
      await cli('jobs', 'show', String(id)),
      await cli('jobs', 'show', String(id), '--json'),
      await cli('jobs', 'list', '--json'),
      await cli('jobs', 'list'),
      await cli('templates', 'list', '--json'),
      await cli('templates', 'list'),
      await cli('templates', 'export'),
    ];
    for (const o of outputs) {
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout + o.stderr).not.toContain(secretValue);
    }
    expect(outputs[1]!.stdout).toMatch(/API_KEY=••••/);
    expect(outputs[6]!.stdout).toContain('API_KEY=••••');
    expect(outputs[7]!.stdout).not.toContain('secretEnv');
  });

  it('explains each command with --help', async () => {
    for (const args of [['jobs'], ['jobs', 'run'], ['jobs', 'list'], ['templates', 'import'], ['hosts', 'test']]) {
      const help = await cli(...args, '--help');
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toContain(`Usage: berth ${args.join(' ')}`);
    }
    expect((await cli('--help')).stdout).toMatch(/jobs\s+List, show, run and cancel jobs/);
    const wrong = await cli('jobs', 'frobnicate');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("unknown command 'jobs frobnicate'");
  });
});
