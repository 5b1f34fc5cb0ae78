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
    'hosts.remove': async ({ id }) => hosts.remove(id),
    'hosts.test': async ({ ids }) => ({ results: await hosts.test(ids) }),
    'hosts.history': async ({ id, limit }) => hosts.history(id, limit),
    'hosts.contexts': async () => ({ contexts: hosts.contexts() }),
    'hosts.import': async ({ names }) => ({ results: await hosts.import(names) }),
    'hosts.containers': async ({ id, all }) => {
      const containers = await attachments.containers(id, all);
      return { count: containers.length, containers };
    },
  };
}
