/**
 * The Electron adapter: one ipcMain handler per contract request, events to every window,
 * stream subscriptions per window. Channel names come from the contract.
 */
import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import type { StreamName } from '../../shared/contract';
import { ipcChannels, requestNames } from '../../shared/operations';
import { errorBodyOf, type Envelope } from '../../shared/errors';
import type { BerthService } from '../core/service';

/** Only our own renderer's top frame may talk to main. */
export type TrustedFrame = (frame: WebFrameMain | null) => boolean;

export function registerIpc(service: BerthService, trusted: TrustedFrame, onUnexpected: (err: unknown) => void): () => void {
  for (const name of requestNames) {
    ipcMain.handle(ipcChannels.request(name), async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> => {
      if (!trusted(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
      try {
        return { ok: true, value: await service.call(name, input) };
      } catch (err) {
        return { ok: false, error: errorBodyOf(err, onUnexpected) };
      }
    });
  }

  const offEvents = service.onEvent((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.webContents.isDestroyed()) win.webContents.send(ipcChannels.event, name, payload);
    }
  });

  // webContents id → subscription id → unsubscribe
  const subscriptions = new Map<number, Map<number, () => void>>();
  const onSubscribe = (event: IpcMainEvent, subId: unknown, stream: unknown, params: unknown) => {
    if (!trusted(event.senderFrame) || typeof subId !== 'number') return;
    const sender = event.sender;
    let mine = subscriptions.get(sender.id);
    if (!mine) {
      const created = new Map<number, () => void>();
      subscriptions.set(sender.id, created);
      sender.once('destroyed', () => {
        for (const off of created.values()) off();
        subscriptions.delete(sender.id);
      });
      mine = created;
    }
    mine.get(subId)?.();
    try {
      const off = service.subscribe(stream as StreamName, params, (payload) => {
        if (!sender.isDestroyed()) sender.send(ipcChannels.stream, subId, payload);
      });
      mine.set(subId, off);
    } catch (err) {
      sender.send(ipcChannels.stream, subId, undefined, errorBodyOf(err, onUnexpected));
    }
  };
  const onUnsubscribe = (event: IpcMainEvent, subId: unknown) => {
    const mine = subscriptions.get(event.sender.id);
    if (typeof subId !== 'number' || !mine) return;
    mine.get(subId)?.();
    mine.delete(subId);
  };
  ipcMain.on(ipcChannels.subscribe, onSubscribe);
  ipcMain.on(ipcChannels.unsubscribe, onUnsubscribe);

  return () => {
    for (const name of requestNames) ipcMain.removeHandler(ipcChannels.request(name));
    ipcMain.off(ipcChannels.subscribe, onSubscribe);
    ipcMain.off(ipcChannels.unsubscribe, onUnsubscribe);
    offEvents();
    for (const mine of subscriptions.values()) for (const off of mine.values()) off();
    subscriptions.clear();
  };
}
