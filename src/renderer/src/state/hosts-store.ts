import { create } from 'zustand';
import type { Host } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { errorMessage } from '../client/client-error';
import { reportError } from './report-error';

interface HostsState {
  hosts: Host[];
  loaded: boolean;
  error: string | null;
  upsert(host: Host): void;
  remove(id: number): void;
}

export const useHosts = create<HostsState>()((set) => ({
  hosts: [],
  loaded: false,
  error: null,
  upsert: (host) =>
    set((s) => {
      const index = s.hosts.findIndex((h) => h.id === host.id);
      if (index < 0) return { hosts: [...s.hosts, host] };
      const hosts = s.hosts.slice();
      hosts[index] = host;
      return { hosts };
    }),
  remove: (id) => set((s) => ({ hosts: s.hosts.filter((h) => h.id !== id) })),
}));

/** The host jobs run on unless told otherwise. */
export const selectDefaultHost = (s: HostsState): Host | undefined => s.hosts.find((h) => h.isDefault) ?? s.hosts[0];

let loadSeq = 0;

export async function loadHosts(client: AppClient): Promise<void> {
  const seq = ++loadSeq;
  try {
    const hosts = await client.request('hosts.list', {});
    if (seq === loadSeq) useHosts.setState({ hosts, loaded: true, error: null });
  } catch (err) {
    if (seq === loadSeq) useHosts.setState({ error: errorMessage(err) });
    reportError(err, 'Loading hosts failed');
  }
}
