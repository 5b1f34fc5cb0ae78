// Nothing lost, nothing twice across a crash: `berth serve` is killed with SIGKILL while five job
// containers and two attached containers print numbered lines, and started again on the same
// data directory. Every line ends up stored exactly once, in order, and the jobs end with the
// status and exit code their containers really had.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { LogEntry } from '../../src/shared/model';
import { serveBerth, until, type ServedBerth } from '../support/served-berth';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

/** Prints `<name> <i>` for i in 1..n, every 7th on stderr, 5 ms apart, then exits with `code`. */
const counter = (name: string, n: number, code: number) =>
  `trap 'exit 0' TERM; i=1; while [ $i -le ${n} ]; do if [ $((i % 7)) -eq 0 ]; then echo "${name} $i" >&2; else echo "${name} $i"; fi; i=$((i+1)); usleep 5000; done; exit ${code}`;

/** Every stored container line of a job or container, oldest first, paging like a client. */
async function allLines(berth: ServedBerth, filter: { jobId: number } | { containerId: string }): Promise<LogEntry[]> {
  const lines: LogEntry[] = [];
  let afterId = 0;
  for (;;) {
    const page = await berth.call('logs.query', { ...filter, sourceType: 'container', afterId, limit: 10_000 });
    lines.push(...page.logs);
    if (page.logs.length < 10_000) return lines;
    afterId = page.logs[page.logs.length - 1]!.id;
  }
}

/** Exactly `<name> 1` … `<name> n`, once each, in order on each stream, multiples of 7 on stderr. */
function expectComplete(lines: LogEntry[], name: string, n: number): void {
  const numbers = lines.map((l) => {
    const m = new RegExp(`^${name} (\\d+)$`).exec(l.message);
    expect(m, `an unexpected line in ${name}'s log: ${JSON.stringify(l.message)}`).not.toBeNull();
    expect(l.isStdErr, `${l.message} on the right stream`).toBe(Number(m![1]) % 7 === 0);
    return Number(m![1]);
  });
  const sorted = [...numbers].sort((a, b) => a - b);
  expect(sorted, `${name}: each of 1..${n} exactly once`).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  for (const stream of [true, false]) {
    const mine = numbers.filter((x) => (x % 7 === 0) === stream);
    expect(mine, `${name}: ${stream ? 'stderr' : 'stdout'} in order`).toEqual([...mine].sort((a, b) => a - b));
  }
}

describeWithDocker('after `berth serve` is killed with SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-crash-'));
  const containers: string[] = [];
  let berth: ServedBerth | undefined;

  afterAll(async () => {
    await berth?.stop();
    const docker = testDocker();
    await Promise.all(containers.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every line of 5 jobs and 2 attached containers exactly once, and the jobs end as their containers did', async () => {
    const docker = testDocker();
    const image = testImage();
    const n = 1200;
    const exitCodes = [0, 1, 0, 3, 0];
    berth = await serveBerth(dir);
    const first = berth;
    // All five at once, whatever the machine's CPU count (the default limit).
    const local = (await first.call('hosts.list', {})).find((h) => h.isDefault)!;
    await first.call('hosts.update', { id: local.id, concurrency: exitCodes.length });

    const jobs: number[] = [];
    for (const [k, code] of exitCodes.entries()) {
      const tpl = await first.call('templates.create', { name: `counter-${k}`, image, command: ['sh', '-c', counter(`job${k}`, n, code)] });
      jobs.push((await first.call('jobs.run', { templateId: tpl.id })).id);
    }
    // One container attached by its label, one by a request.
    const labelled = await docker.createContainer({
      Image: image,
      Cmd: ['sh', '-c', counter('labelled', n, 0)],
      Labels: { 'berth.attach': 'true' },
      HostConfig: { NetworkMode: 'none' },
    });
    const asked = await docker.createContainer({ Image: image, Cmd: ['sh', '-c', counter('asked', n, 0)], HostConfig: { NetworkMode: 'none' } });
    containers.push(labelled.id, asked.id);
    await labelled.start();
    await asked.start();
    await first.call('logs.attach', { containerId: asked.id, serviceName: 'asked' });

    // Kill Berth once everything is well under way.
    await until(
      async () => Promise.all([...jobs.map((jobId) => first.call('logs.count', { jobId, sourceType: 'container' })), ...[labelled.id, asked.id].map((containerId) => first.call('logs.count', { containerId, sourceType: 'container' }))]),
      (counts) => counts.every((c) => c.count >= 100),
      30_000,
      'every source storing lines',
    );
    await first.kill9();
    // The containers go on printing while Berth is away.
    await new Promise((r) => setTimeout(r, 1500));

    berth = await serveBerth(dir);
    const second = berth;
    for (const [k, jobId] of jobs.entries()) {
      const job = await until(() => second.call('jobs.get', { id: jobId }), (j) => j.status !== 'pending' && j.status !== 'running', 60_000, `job ${jobId}`);
      expect(job, `job ${k}`).toMatchObject({ status: exitCodes[k] === 0 ? 'completed' : 'failed', exitCode: exitCodes[k] });
      expectComplete(await allLines(second, { jobId }), `job${k}`, n);
      expect(job.logLevels.error, 'stderr lines are errors').toBe(Math.floor(n / 7));
      const manager = await second.call('logs.query', { jobId, sourceType: 'manager' });
      expect(manager.logs.map((l) => l.message).join('\n')).toMatch(/Berth restarted/);
    }
    for (const [name, container] of [['labelled', labelled], ['asked', asked]] as const) {
      await container.wait();
      const lines = await until(() => allLines(second, { containerId: container.id }), (l) => l.length >= n, 30_000, `${name}'s lines`);
      expectComplete(lines, name, n);
      // Attached by label, a container's lines carry its own name; by request, the name given.
      const service = name === 'asked' ? 'asked' : (await container.inspect()).Name.replace(/^\//, '');
      expect(lines.every((l) => l.jobId === null && l.source.name === service)).toBe(true);
    }
  }, 180_000);
});
