// Smoke test of the test environment itself: if this fails, every Docker test is suspect.
import Docker from 'dockerode';
import { expect, it } from 'vitest';
import { describeWithDocker, dockerOptions, dockerTcpOrFail, testDocker, testImage } from '../support/test-env';

describeWithDocker('test environment', () => {
  it('runs a container from the test image and reports its exit code', async () => {
    const docker = testDocker();
    const container = await docker.createContainer({
      Image: testImage(),
      Cmd: ['sh', '-c', 'echo hi; exit 7'],
      Labels: { 'berth.test': 'test-env' },
    });
    try {
      await container.start();
      const result = (await container.wait()) as { StatusCode: number };
      expect(result.StatusCode).toBe(7);
    } finally {
      await container.remove({ force: true });
    }
  });

  it('answers on the plain TCP endpoint', async (ctx) => {
    const tcp = dockerTcpOrFail();
    if (!tcp) {
      ctx.skip('dockerd does not listen on tcp://127.0.0.1:2375');
      return;
    }
    const reply: unknown = await new Docker(dockerOptions(tcp)).ping();
    expect(String(reply)).toBe('OK');
  });
});
