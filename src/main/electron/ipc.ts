/**
 * The Electron adapter: one ipcMain handler per contract request, events to every window,
 * stream subscriptions per window. Channel names come from the contract.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import type { SavedDownload } from '../../shared/client';
import type { DownloadBody, StreamName } from '../../shared/contract';
import { downloadNames, ipcChannels, requestNames } from '../../shared/operations';
import { errorBodyOf, type Envelope } from '../../shared/errors';
import type { BerthService } from '../core/service';

/** Only our own renderer's top frame may talk to main. */
export type TrustedFrame = (frame: WebFrameMain | null) => boolean;

/** Where a download goes: asks the user for a file and writes it there; null if they cancelled. */
export type SaveDownload = (download: DownloadBody, sender: WebContents) => Promise<string | null>;

/** Asks with the system's save dialog, then streams the body to the chosen file. */
export const saveWithDialog: SaveDownload = async (download, sender) => {
  const win = BrowserWindow.fromWebContents(sender);
  const options = { defaultPath: download.filename };
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) {
    await download.body[Symbol.asyncIterator]().return?.();
    return null;
  }
  await pipeline(Readable.from(download.body), createWriteStream(choice.filePath, { encoding: download.encoding }));
  return choice.filePath;
};

export function registerIpc(
  service: BerthService,
  trusted: TrustedFrame,
  onUnexpected: (err: unknown) => void,
  save: SaveDownload = saveWithDialog,
): () => void {
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

  for (const name of downloadNames) {
    ipcMain.handle(ipcChannels.request(name), async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<SavedDownload>> => {
      if (!trusted(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
      try {
        const download = await service.download(name, input);
        return { ok: true, value: { savedTo: await save(download, event.sender) } };
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
    for (const name of [...requestNames, ...downloadNames]) ipcMain.removeHandler(ipcChannels.request(name));
    ipcMain.off(ipcChannels.subscribe, onSubscribe);
    ipcMain.off(ipcChannels.unsubscribe, onUnsubscribe);
    offEvents();
    for (const mine of subscriptions.values()) for (const off of mine.values()) off();
    subscriptions.clear();
  };
}
