// What a job's container is created with, checked on the real engine: the template's limits and
// run fields applied, pull policies kept, and secret values given to the container alone.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseFile } from '../../src/main/core/berth';
import type { RequestName } from '../../src/shared/contract';
import { hasStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

describeWithDocker('what a job runs with', () => {
  let t: TestBerth;
  const bindDir = mkdtempSync(join(tmpdir(), 'berth-bind-'));
  const volume = `berth-test-spec-${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    t = startTestBerth();
  });
  afterAll(async () => {
    await t?.dispose();
    await testDocker().getVolume(volume).remove().catch(() => undefined);
    rmSync(bindDir, { recursive: true, force: true });
  });

  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);
  const lines = async (jobId: number, sourceType: 'container' | 'system') =>
    (await call('logs.query', { jobId, sourceType, limit: 1000 })).logs.map((l) => l.message);

  it('applies cpus, memory, pids limit, network, named and bind volumes, labels, entrypoint, working dir and user', async () => {
    writeFileSync(join(bindDir, 'hello'), 'from the host\n', { mode: 0o644 });
    // Readable by the container's user (mkdtemp makes it private to ours).
    chmodSync(bindDir, 0o755);
    const tpl = await call('templates.create', {
      name: 'limited',
      image: testImage(),
      entrypoint: ['sh', '-c'],
      command: ['pwd; id -u; id -g; cat /host/hello; ls -d /data; sleep 3'],
      workingDir: '/tmp',
      user: '1234:2345',
      cpus: 0.5,
      memoryBytes: 64 * 1024 * 1024,
      pidsLimit: 32,
      network: 'none',
      volumes: [`${volume}:/data`, `${bindDir}:/host:ro`],
      labels: { 'com.example.team': 'ops' },
    });
    const { id } = await call('jobs.run', { templateId: tpl.id });
    const running = await waitForJob(t.berth, id, 20_000, hasStatus('running', 'completed', 'failed', 'cancelled'));
    expect(running.status).toBe('running');
    const info = await testDocker().getContainer(running.containerId!).inspect();
    expect(info.HostConfig).toMatchObject({
      NanoCpus: 500_000_000,
      Memory: 64 * 1024 * 1024,
      PidsLimit: 32,
      NetworkMode: 'none',
      Binds: [`${volume}:/data`, `${bindDir}:/host:ro`],
    });
    expect(info.Config).toMatchObject({ Entrypoint: ['sh', '-c'], WorkingDir: '/tmp', User: '1234:2345' });
    expect(info.Config.Labels).toMatchObject({ 'com.example.team': 'ops', 'berth.job': String(id) });
    expect(info.Mounts.find((m) => m.Destination === '/data')).toMatchObject({ Type: 'volume', Name: volume });
    expect(info.Mounts.find((m) => m.Destination === '/host')).toMatchObject({ Type: 'bind', RW: false });

    const job = await waitForJob(t.berth, id, 20_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(await lines(id, 'container')).toEqual(['/tmp', '1234', '2345', 'from the host', '/data']);
    expect(job.spec).toMatchObject({ cpus: 0.5, memoryBytes: 64 * 1024 * 1024, pidsLimit: 32, network: 'none', workingDir: '/tmp', user: '1234:2345' });
  });

  it('gives a secret value to the container only: its hash in the output, the value in no answer and no stored line', async () => {
    const secret = `s3cret-${randomBytes(12).toString('hex')}`;
    const tpl = await call('templates.create', {
      name: 'uses-a-token',
      image: testImage(),
      command: ['sh', '-c', 'echo -n "$TOKEN" | sha256sum; echo "length ${#TOKEN}"'],
      env: { PLAIN: 'visible' },
      secretEnv: { TOKEN: secret },
    });
    const job = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 20_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
    const hash = createHash('sha256').update(secret).digest('hex');
    const output = await lines(job.id, 'container');
    expect(output[0]).toMatch(new RegExp(`^${hash}\\s`));
    expect(output[1]).toBe(`length ${secret.length}`);

    const answers = [
      await call('jobs.get', { id: job.id }),
      await call('jobs.list', {}),
      await call('templates.get', { id: tpl.id }),
      await call('templates.list', {}),
      await call('logs.query', { jobId: job.id, limit: 1000 }),
    ];
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(secret);
    expect((await call('jobs.get', { id: job.id })).spec.secretEnv).toEqual({ TOKEN: '••••' });
    expect((await call('logs.query', { q: secret })).logs).toEqual([]);
    expect((await call('logs.query', { jobId: job.id, regex: secret.slice(0, 20) })).logs).toEqual([]);

    // The store itself: no log line and no job row holds the value (only template_secrets does).
    const db = new Database(join(t.dir, databaseFile), { readonly: true, fileMustExist: true });
    try {
      const like = `%${secret}%`;
      expect(db.prepare('SELECT count(*) AS n FROM logs WHERE message LIKE ?').get(like)).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM logs WHERE message LIKE ?').get(`%${hash}%`)).toEqual({ n: 1 });
      expect(db.prepare('SELECT count(*) AS n FROM jobs WHERE spec LIKE ?').get(like)).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM templates WHERE spec LIKE ? OR env LIKE ?').get(like, like)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("fails at once with pull policy 'never' when the image is not on the host, saying so", async () => {
    const image = `berth-test/not-here-${randomBytes(4).toString('hex')}:latest`;
    const tpl = await call('templates.create', { name: 'never-pull', image, command: ['true'], pullPolicy: 'never' });
    const started = Date.now();
    const job = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(job).toMatchObject({ status: 'failed', exitCode: null, containerId: null });
    expect(job.error).toBe(`image ${image} is not on this host and the pull policy is 'never': load or pull it there first`);
    expect((await lines(job.id, 'system')).join('\n')).not.toMatch(/pulling/i);
  });

  it("pulls with pull policy 'always' even when the image is present, and fails saying why when the pull fails", async () => {
    // The test image exists only on this engine: no registry has it, so the pull fails.
    const tpl = await call('templates.create', { name: 'always-pull', image: testImage(), command: ['true'], pullPolicy: 'always' });
    const job = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 30_000);
    expect(job).toMatchObject({ status: 'failed', exitCode: null, containerId: null });
    expect(job.error).toContain(`could not pull ${testImage()}`);
    expect(job.error).toContain("the pull policy is 'always', so the copy already on this host is not used");
    expect(await lines(job.id, 'system')).toContain(`Pulling ${testImage()} (pull policy 'always')`);
  });

  it("runs a present image without pulling with pull policy 'never'", async () => {
    const tpl = await call('templates.create', { name: 'never-present', image: testImage(), command: ['echo', 'ran'], pullPolicy: 'never' });
    const job = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 20_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(await lines(job.id, 'container')).toEqual(['ran']);
  });
});
