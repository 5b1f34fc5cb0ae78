// A real Berth (SQLite file in a fresh temp dir, the test Docker engine) driven the way the
// adapters drive it: through `berth.service`, with validation, events and all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBerth, type Berth, type BerthOptions } from '../../src/main/core/berth';
import { jobLabels } from '../../src/main/core/jobs/job-runner';
import { finishedStatuses, type Job, type JobStatus } from '../../src/shared/model';
import { testDocker, testEnv } from './test-env';

export interface TestBerth {
  berth: Berth;
  dir: string;
  /** Closes Berth, removes any container it left behind, deletes the data directory. */
  dispose(): Promise<void>;
}

/** A Berth on a fresh data directory, or on `dir` to play a restart of an earlier one. */
export function startTestBerth(dir = mkdtempSync(join(tmpdir(), 'berth-it-')), options: Partial<BerthOptions> = {}): TestBerth {
  const docker = testEnv().docker;
  if (!docker) throw new Error('startTestBerth needs the test Docker engine');
  const errors: string[] = [];
  const berth = createBerth({
    dataDir: dir,
    env: { DOCKER_HOST: docker.host },
    hostRefreshMs: 60_000,
    onError: (message, err) => errors.push(`${message}: ${String(err)}`),
    ...options,
  });
  return {
    berth,
    dir,
    async dispose() {
      await berth.close();
      // Berth leaves containers running on close by design; a test that failed midway must not
      // leave them for the next one.
      const engine = testDocker();
      const leftovers = await engine.listContainers({
        all: true,
        filters: { label: [`${jobLabels.instance}=${berth.instanceId}`] },
      });
      await Promise.all(leftovers.map((c) => engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`Berth reported trouble: ${errors.join('; ')}`);
    },
  };
}

/**
 * Resolves with the job once `done(job)` holds (by default: completed, failed or cancelled).
 * Listens to `job.updated` and polls as well, so a missed event only costs a poll interval.
 */
export function waitForJob(
  berth: Berth,
  id: number,
  timeoutMs: number,
  done: (job: Job) => boolean = (job) => finishedStatuses.has(job.status),
): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    let last: Job | undefined;
    let settled = false;
    const finish = (err: Error | null, job?: Job) => {
      if (settled) return;
      settled = true;
      off();
      clearInterval(poll);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(job!);
    };
    const consider = (job: Job) => {
      last = job;
      if (done(job)) finish(null, job);
    };
    const off = berth.service.onEvent((name, payload) => {
      if (name === 'job.updated' && (payload as Job).id === id) consider(payload as Job);
    });
    const check = () =>
      berth.service.call('jobs.get', { id }).then(consider, (err: unknown) => finish(err as Error));
    const poll = setInterval(check, 250);
    const timer = setTimeout(
      () => finish(new Error(`job ${id} did not get there within ${timeoutMs} ms; last seen ${JSON.stringify(last)}`)),
      timeoutMs,
    );
    void check();
  });
}

export const hasStatus =
  (...statuses: JobStatus[]) =>
  (job: Job): boolean =>
    statuses.includes(job.status);

/** The engine's HTTP status for inspecting a container: 200 while it exists, 404 once removed. */
export function inspectStatus(containerId: string): Promise<number> {
  return testDocker()
    .getContainer(containerId)
    .inspect()
    .then(
      () => 200,
      (err: { statusCode?: number }) => err.statusCode ?? -1,
    );
}
