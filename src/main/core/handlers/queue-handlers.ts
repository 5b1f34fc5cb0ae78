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
      const waiting = jobs.waitingByHost(now);
      const row = (hostId: number | null, hostName: string, running: number, slots: number) => {
        const w = waiting.get(hostId);
        return { hostId, hostName, depth: w?.depth ?? 0, oldestWaitMs: w?.oldestSince != null ? now - w.oldestSince : null, running, slots };
      };
      const perHost = hosts.list().map((h) => row(h.id, h.name, runner.activeOn(h.id), h.slots));
      // Jobs that take any host wait in a queue of their own.
      const any = row(null, 'any host', 0, 0);
      return { hosts: any.depth > 0 ? [...perHost, any] : perHost };
    },
  };
}
