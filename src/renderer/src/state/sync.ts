import type { AppClient } from '../client/app-client';
import { loadAttachments, useAttachments } from './attachments-store';
import { useHosts, loadHosts } from './hosts-store';
import { useJobs, loadJobs } from './jobs-store';
import { useSession } from './session-store';
import { loadTemplates, useTemplates } from './templates-store';

export function refreshAll(client: AppClient): Promise<void> {
  return Promise.all([loadJobs(client), loadTemplates(client), loadHosts(client), loadAttachments(client, true)]).then(() => {});
}

/**
 * Keeps the stores in step with the server: lists are read once, then patched by events. Every
 * time the live link (re)opens, events may have been missed, so the lists are read again.
 */
export function startSync(client: AppClient): () => void {
  const session = useSession.getState();
  session.setConnection(client.connectionState);
  const offs = [
    client.on('job.updated', (job) => useJobs.getState().upsert(job)),
    client.on('job.deleted', ({ ids }) => useJobs.getState().remove(ids)),
    client.on('template.created', (template) => useTemplates.getState().upsert(template)),
    client.on('template.updated', (template) => useTemplates.getState().upsert(template)),
    client.on('template.deleted', ({ id }) => useTemplates.getState().remove(id)),
    client.on('host.removed', ({ id }) => useHosts.getState().remove(id)),
    client.on('attachment.updated', (attachment) => useAttachments.getState().upsert(attachment)),
    client.on('attachment.removed', ({ hostId, containerId }) => useAttachments.getState().remove(hostId, containerId)),
    client.on('host.updated', (host) => useHosts.getState().upsert(host)),
    client.onConnection((state) => {
      useSession.getState().setConnection(state);
      if (state === 'open') void refreshAll(client);
    }),
  ];
  void refreshAll(client);
  return () => offs.forEach((off) => off());
}
