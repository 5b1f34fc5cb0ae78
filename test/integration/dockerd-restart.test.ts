// dockerd itself restarts under a container Berth follows: the container (restart policy
// `always`, attached by its label) is stopped with the daemon and started again when it comes
// back. Berth keeps following across the gap and ends up with exactly what Docker's own log
// holds: the lines of both runs, none missing, none twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LogEntry } from '../../src/shared/model';
import { startTestBerth, type TestBerth } from '../support/berth-harness';
import { describeWithSecondEngine, startSecondEngine, type SecondEngine } from '../support/second-engine';
import { until } from '../support/served-berth';

describeWithSecondEngine('when dockerd restarts', () => {
  let engine: SecondEngine;
  let t: TestBerth;

  beforeAll(async () => {
    engine = await startSecondEngine();
    t = startTestBerth(undefined, { env: { DOCKER_HOST: engine.dockerHost } });
  }, 120_000);

  afterAll(async () => {
    await t?.dispose();
    await engine?.dispose();
  }, 120_000);

  it("keeps an attached container's lines from before and after, none twice, exactly as Docker logged them", async () => {
    const call = t.berth.service.call.bind(t.berth.service);
    // A run id tells the container's runs apart; each run counts from 1.
    const script = `trap 'exit 0' TERM; run=$(cut -c1-8 /proc/sys/kernel/random/uuid); i=1; while true; do echo "$run $i"; i=$((i+1)); usleep 20000; done`;
    const container = await engine.docker.createContainer({
      Image: engine.image,
      Cmd: ['sh', '-c', script],
      Labels: { 'berth.attach': 'true' },
      StopTimeout: 2,
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'always' } },
    });
    await container.start();
    const stored = () => call('logs.query', { containerId: container.id, sourceType: 'container', limit: 100_000 }).then((r) => r.logs);
    const runs = (lines: LogEntry[]) => new Set(lines.map((l) => l.message.split(' ')[0]));

    await until(stored, (lines) => lines.length >= 40, 30_000, 'lines of the first run');
    await engine.restart();
    await until(stored, (lines) => runs(lines).size >= 2 && lines.filter((l) => l.message.endsWith(' 40')).length >= 2, 60_000, 'lines of the second run');

    // End the output, then compare with Docker's own log of the container.
    await engine.docker.getContainer(container.id).update({ RestartPolicy: { Name: 'no' } } as object);
    await container.stop({ t: 2 });
    const dockerLog = ((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    const expected = demuxLines(dockerLog);
    const lines = await until(stored, (l) => l.length >= expected.length, 30_000, 'every line Docker logged');
    expect(lines.map((l) => l.message)).toEqual(expected);
    expect(runs(lines).size).toBe(2);
    // Berth said what happened.
    const notes = await call('logs.query', { containerId: container.id, sourceType: 'manager' });
    expect(notes.logs.map((l) => l.message).join('\n')).toMatch(/again after a break|Attached/);
  }, 180_000);
});

/** The text lines of a non-TTY container's multiplexed log output. */
function demuxLines(data: Buffer): string[] {
  const out: string[] = [];
  let text = '';
  for (let off = 0; off + 8 <= data.length; ) {
    const size = data.readUInt32BE(off + 4);
    text += data.toString('utf8', off + 8, off + 8 + size);
    off += 8 + size;
  }
  for (const line of text.split('\n')) if (line) out.push(line);
  return out;
}
