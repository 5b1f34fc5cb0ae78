// Containers Berth did not start: attached by a request, by their `berth.attach=true` label, or
// by their host's attach-all setting; their lines carry their service name and no job; the list
// survives a restart of Berth.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { startTestBerth, type TestBerth } from '../support/berth-harness';
import { until } from '../support/served-berth';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

describeWithDocker('attaching containers', () => {
  let t: TestBerth;
  const containers: Docker.Container[] = [];
  const call = <N extends Parameters<TestBerth['berth']['service']['call']>[0]>(name: N, input: unknown) => t.berth.service.call(name, input);

  beforeAll(() => {
    t = startTestBerth();
  });

  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.remove({ force: true }).catch(() => undefined)));
  });

  afterAll(async () => {
    await t?.dispose();
  });

  async function run(cmd: string, options: Partial<Docker.ContainerCreateOptions> = {}): Promise<Docker.Container> {
    const container = await testDocker().createContainer({ Image: testImage(), Cmd: ['sh', '-c', cmd], HostConfig: { NetworkMode: 'none' }, ...options });
    containers.push(container);
    await container.start();
    return container;
  }

  const messages = async (containerId: string) =>
    (await call('logs.query', { containerId, sourceType: 'container', limit: 10_000 })).logs.map((l) => l.message);

  it('stores the lines of a container started with docker run under the given service name, from its first line, and stops when detached', async () => {
    const c = await run(`trap 'exit 0' TERM; i=1; while true; do echo "tick $i"; i=$((i+1)); usleep 50000; done`);
    await new Promise((r) => setTimeout(r, 300));
    const answer = await call('logs.attach', { containerId: c.id.slice(0, 12), serviceName: 'ticker' });
    expect(answer).toEqual({ message: expect.stringMatching(/Attached/), containerId: c.id, serviceName: 'ticker' });

    await until(() => messages(c.id), (m) => m.length >= 10, 20_000, 'ticks');
    const { logs } = await call('logs.query', { containerId: c.id, sourceType: 'container', limit: 5 });
    expect(logs[0]).toMatchObject({ containerId: c.id, jobId: null, serviceName: 'ticker', source: { type: 'container', name: 'ticker' } });
    // From the container's first line, printed before the attach.
    expect((await messages(c.id))[0]).toBe('tick 1');
    const listed = await call('logs.attachments', {});
    expect(listed.attachments).toEqual([expect.objectContaining({ containerId: c.id, serviceName: 'ticker', reason: 'api', state: 'following' })]);
    expect((await call('logs.count', { serviceName: 'ticker' })).count).toBeGreaterThanOrEqual(10);

    const detached = await call('logs.detach', { containerId: c.id });
    expect(detached).toEqual({ message: expect.stringMatching(/Detached/), containerId: c.id });
    const atDetach = (await messages(c.id)).length;
    await new Promise((r) => setTimeout(r, 800));
    expect((await messages(c.id)).length).toBe(atDetach);
    expect((await call('logs.attachments', {})).count).toBe(0);
  });

  it('attaches a container labelled berth.attach=true when it starts, without being asked, and a TTY one too', async () => {
    const c = await run(`echo "labelled-1"; echo "labelled-2"; sleep 30`, { Labels: { 'berth.attach': 'true' } });
    await until(() => messages(c.id).catch((): string[] => []), (m) => m.length >= 2, 20_000, 'the labelled container\'s lines');
    expect(await messages(c.id)).toEqual(['labelled-1', 'labelled-2']);
    const name = (await c.inspect()).Name.replace(/^\//, '');
    expect((await call('logs.attachments', {})).attachments).toContainEqual(expect.objectContaining({ containerId: c.id, reason: 'label', serviceName: name }));

    const tty = await run(`echo "from a tty"; sleep 30`, { Tty: true, Labels: { 'berth.attach': 'true' } });
    await until(() => messages(tty.id).catch((): string[] => []), (m) => m.length >= 1, 20_000, 'the TTY container\'s line');
    expect(await messages(tty.id)).toEqual(['from a tty']);
  });

  it('keeps its attachments across a restart of Berth and reads what was printed meanwhile', async () => {
    const c = await run(`trap 'exit 0' TERM; i=1; while [ $i -le 60 ]; do echo "n $i"; i=$((i+1)); usleep 50000; done; sleep 30`);
    await call('logs.attach', { containerId: c.id, serviceName: 'survivor' });
    await until(() => messages(c.id), (m) => m.length >= 5, 20_000, 'first lines');
    const dir = t.dir;
    await t.berth.close();
    await new Promise((r) => setTimeout(r, 1000));
    t = startTestBerth(dir);
    const lines = await until(() => messages(c.id), (m) => m.length >= 60, 30_000, 'all 60 lines after the restart');
    expect(lines).toEqual(Array.from({ length: 60 }, (_, i) => `n ${i + 1}`));
    expect((await call('logs.attachments', {})).attachments).toContainEqual(expect.objectContaining({ containerId: c.id, serviceName: 'survivor' }));
    await call('logs.detach', { containerId: c.id });
  });

  it('lists a host\'s containers with whether they are followed, and follows all of them when the host is set to', async () => {
    const c = await run(`echo "everyone"; sleep 30`);
    const before = await call('hosts.containers', { id: 1 });
    expect(before.containers).toContainEqual(expect.objectContaining({ id: c.id, attached: false, jobId: null, state: 'running' }));
    const host = await call('hosts.update', { id: 1, attachAll: true });
    expect(host.attachAll).toBe(true);
    await until(() => messages(c.id).catch((): string[] => []), (m) => m.includes('everyone'), 20_000, 'the line of a container attached by its host');
    expect((await call('hosts.containers', { id: 1 })).containers).toContainEqual(expect.objectContaining({ id: c.id, attached: true }));
    await call('hosts.update', { id: 1, attachAll: false });
    expect((await call('logs.attachments', {})).attachments.filter((a) => a.reason === 'host')).toEqual([]);
  });

  it('refuses to attach what does not exist, with a clear error', async () => {
    await expect(call('logs.attach', { containerId: 'no-such-container-anywhere' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('logs.detach', { containerId: 'no-such-container-anywhere' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
