import type { BerthClient, ConnectionState } from '../../../shared/client';

/** A `BerthClient` that also tells its current link state, so stores can start with it. */
export interface AppClient extends BerthClient {
  readonly transport: 'ipc' | 'http';
  readonly connectionState: ConnectionState;
}
