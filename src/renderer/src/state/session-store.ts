import { create } from 'zustand';
import type { ConnectionState } from '../../../shared/client';

interface SessionState {
  /** The live link (events, log streams). Requests may still work while it is down. */
  connection: ConnectionState;
  /** The server answered 401: show the sign-in screen. */
  authNeeded: boolean;
  setConnection(connection: ConnectionState): void;
  setAuthNeeded(authNeeded: boolean): void;
}

export const useSession = create<SessionState>()((set) => ({
  connection: 'connecting',
  authNeeded: false,
  setConnection: (connection) => set({ connection }),
  setAuthNeeded: (authNeeded) => set({ authNeeded }),
}));
