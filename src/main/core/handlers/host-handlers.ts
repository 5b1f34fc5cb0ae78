import { BerthError } from '../../../shared/errors';
import type { HostRegistry } from '../docker/host-registry';
import type { Attachments } from '../logs/attachments';
import type { HandlersFor } from './handler-types';

export function hostHandlers(hosts: HostRegistry, attachments: Attachments): HandlersFor<'hosts'> {
  return {
    'hosts.list': async () => hosts.list(),
    'hosts.add': (input) => hosts.add(input),
    'hosts.update': async ({ id, ...patch }) => {
      const before = hosts.get(id);
      const host = hosts.update(id, patch);
      if (patch.attachAll !== undefined && patch.attachAll !== before.attachAll) await attachments.setAttachAll(id, patch.attachAll);
      return host;
    },
    'hosts.refresh': ({ id }) => hosts.refresh(id),
    // Filled in by the hosts work of issue 6.
    'hosts.remove': async () => {
      throw new BerthError('unavailable', 'removing hosts is not built yet');
    },
    'hosts.test': async () => {
      throw new BerthError('unavailable', 'testing several hosts is not built yet');
    },
    'hosts.history': async () => {
      throw new BerthError('unavailable', 'host history is not built yet');
    },
    'hosts.contexts': async () => {
      throw new BerthError('unavailable', 'Docker contexts are not read yet');
    },
    'hosts.import': async () => {
      throw new BerthError('unavailable', 'importing Docker contexts is not built yet');
    },
    'hosts.containers': async ({ id, all }) => {
      const containers = await attachments.containers(id, all);
      return { count: containers.length, containers };
    },
  };
}
