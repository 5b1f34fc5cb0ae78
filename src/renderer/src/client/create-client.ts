import type { AppClient } from './app-client';
import { HttpClient } from './http-client';
import { IpcClient } from './ipc-client';

/** Inside Electron the preload exposes `window.berth`; in a browser we talk to `berth serve`. */
export function createClient(): AppClient {
  return window.berth ? new IpcClient(window.berth) : new HttpClient();
}
