/**
 * Exposes `window.berth`: one method per contract request (`berth.jobs.run(input)`), plus event
 * and stream listeners. The renderer never sees ipcRenderer itself. Methods resolve to an
 * Envelope because contextBridge keeps only the message of a thrown Error, not its code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, routeNames } from '../shared/operations';
import type { ErrorBody } from '../shared/errors';

type Listener = (...args: unknown[]) => void;

const api: Record<string, unknown> = {};
// Downloads too: main answers them with a save dialog and where the file went.
for (const name of routeNames) {
  const [group, member] = name.split('.') as [string, string];
  const methods = (api[group] ??= {}) as Record<string, (input: unknown) => Promise<unknown>>;
  methods[member] = (input: unknown) => ipcRenderer.invoke(ipcChannels.request(name), input);
}

api.on = (listener: Listener) => {
  const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => listener(name, payload);
  ipcRenderer.on(ipcChannels.event, handler);
  return () => void ipcRenderer.removeListener(ipcChannels.event, handler);
};

let nextSubId = 1;
const streamListeners = new Map<number, Listener>();
ipcRenderer.on(ipcChannels.stream, (_event, subId: number, payload: unknown, error?: ErrorBody) => {
  if (error) console.error(`berth: subscription refused: ${error.message}`);
  else streamListeners.get(subId)?.(payload);
});

api.subscribe = (stream: string, params: unknown, listener: Listener) => {
  const subId = nextSubId++;
  streamListeners.set(subId, listener);
  ipcRenderer.send(ipcChannels.subscribe, subId, stream, params);
  return () => {
    streamListeners.delete(subId);
    ipcRenderer.send(ipcChannels.unsubscribe, subId);
  };
};

contextBridge.exposeInMainWorld('berth', api);
