import { create } from 'zustand';
import type { Attachment } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { errorMessage, isUnauthorized } from '../client/client-error';
import { reportError } from './report-error';

interface AttachmentsState {
  /** Newest first. */
  attachments: Attachment[];
  loaded: boolean;
  error: string | null;
  upsert(attachment: Attachment): void;
  remove(hostId: number, containerId: string): void;
}

const sameContainer = (a: Pick<Attachment, 'hostId' | 'containerId'>, hostId: number, containerId: string) =>
  a.hostId === hostId && a.containerId === containerId;
const newestFirst = (a: Attachment, b: Attachment) => b.attachedAt - a.attachedAt || a.containerName.localeCompare(b.containerName);

export const useAttachments = create<AttachmentsState>()((set) => ({
  attachments: [],
  loaded: false,
  error: null,
  upsert: (attachment) =>
    set((s) => ({
      attachments: [...s.attachments.filter((a) => !sameContainer(a, attachment.hostId, attachment.containerId)), attachment].sort(newestFirst),
    })),
  remove: (hostId, containerId) => set((s) => ({ attachments: s.attachments.filter((a) => !sameContainer(a, hostId, containerId)) })),
}));

/** The attachment of a container, by its full id or a prefix of it. */
export const findAttachment = (attachments: readonly Attachment[], containerId: string): Attachment | undefined =>
  attachments.find((a) => a.containerId.startsWith(containerId));

let loadSeq = 0;

/** `quiet`: a background refresh keeps its failure in the store (the pages that list attachments show it) instead of a toast. */
export async function loadAttachments(client: AppClient, quiet = false): Promise<void> {
  const seq = ++loadSeq;
  try {
    const { attachments } = await client.request('logs.attachments', {});
    if (seq === loadSeq) useAttachments.setState({ attachments: [...attachments].sort(newestFirst), loaded: true, error: null });
  } catch (err) {
    if (seq === loadSeq) useAttachments.setState({ error: errorMessage(err) });
    if (!quiet || isUnauthorized(err)) reportError(err, 'Loading attached containers failed');
  }
}
