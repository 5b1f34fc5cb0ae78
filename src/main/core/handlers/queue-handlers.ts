import type { HostRegistry } from '../docker/host-registry';
import type { JobRunner } from '../jobs/job-runner';
import type { JobRepository } from '../store/job-repository';
import type { HandlersFor } from './handler-types';

export interface QueueHandlerDeps {
  jobs: JobRepository;
  hosts: HostRegistry;
  runner: JobRunner;
}

export function queueHandlers({ jobs, hosts, runner }: QueueHandlerDeps): HandlersFor<'queue'> {
  return {
    'queue.get': async () => {
      const now = Date.now();
      const waiting = new Map<number | null, { depth: number; oldest: number | null }>();
      for (const job of jobs.queue()) {
        const entry = waiting.get(job.wantHostId) ?? { depth: 0, oldest: null };
        entry.depth += 1;
        const since = Math.max(job.createdAt, job.notBefore ?? 0);
        if (since <= now) entry.oldest = Math.min(entry.oldest ?? since, since);
        waiting.set(job.wantHostId, entry);
      }
      const row = (hostId: number | null, hostName: string, running: number, slots: number) => {
        const w = waiting.get(hostId);
        return { hostId, hostName, depth: w?.depth ?? 0, oldestWaitMs: w?.oldest != null ? now - w.oldest : null, running, slots };
      };
      const perHost = hosts.list().map((h) => row(h.id, h.name, runner.activeOn(h.id), h.slots));
      // Jobs that take any host wait in a queue of their own.
      const any = row(null, 'any host', 0, 0);
      return { hosts: any.depth > 0 ? [...perHost, any] : perHost };
    },
  };
}
