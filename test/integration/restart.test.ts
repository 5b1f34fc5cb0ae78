// Containers outlive Berth: a job left running when Berth closed can still be cancelled by the
// next Berth on the same data directory, which stops and removes its container.
import { expect, it } from 'vitest';
import { hasStatus, inspectStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

describeWithDocker('after a restart', () => {
  it('cancels a job an earlier Berth left running and removes its container', async () => {
    const first = startTestBerth();
    let second: TestBerth | undefined;
    try {
      const tpl = await first.berth.service.call('templates.create', { name: 'sleeper', image: testImage(), command: 'sleep 600' });
      const { id } = await first.berth.service.call('jobs.run', { templateId: tpl.id });
      const running = await waitForJob(first.berth, id, 20_000, hasStatus('running', 'completed', 'failed', 'cancelled'));
      expect(running.status).toBe('running');
      await first.berth.close();
      // Closing Berth leaves the container alone.
      expect((await testDocker().getContainer(running.containerId!).inspect()).State.Running).toBe(true);

      second = startTestBerth(first.dir);
      expect(second.berth.instanceId).toBe(first.berth.instanceId);
      expect((await second.berth.service.call('jobs.get', { id })).status).toBe('running');
      const cancelled = await second.berth.service.call('jobs.cancel', { id, graceSeconds: 0 });
      expect(cancelled).toMatchObject({ status: 'cancelled', id });
      expect(cancelled.finishedAt).not.toBeNull();
      expect(await inspectStatus(running.containerId!)).toBe(404);
    } finally {
      await (second ?? first).dispose();
    }
  });
});
