// The IPC adapter on a real core (SQLite in a temp dir), with a stand-in for Electron's ipcMain
// and windows: handlers come from the contract, validate input, answer envelopes, refuse
// untrusted frames, and route events and stream subscriptions per window.
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBerth, type Berth } from '../core/berth';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { downloadNames, ipcChannels, requestNames } from '../../shared/operations';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const handlers = new Map<string, Handler>();
const onListeners = new Map<string, Handler>();
const windowMessages: unknown[][] = [];

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
    on: (channel: string, fn: Handler) => void onListeners.set(channel, fn),
    off: (channel: string) => void onListeners.delete(channel),
  },
  BrowserWindow: {
    getAllWindows: () => [{ webContents: { isDestroyed: () => false, send: (...args: unknown[]) => void windowMessages.push(args) } }],
  },
}));

const { registerIpc } = await import('./ipc');

const ownFrame = { url: 'file:///app/out/renderer/index.html', parent: null };
const strangerFrame = { url: 'https://evil.example/', parent: null };

let dir: string;
let berth: Berth;
let unregister: () => void;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-ipc-'));
  berth = createBerth({ dataDir: dir, env: { DOCKER_HOST: `unix://${join(dir, 'none.sock')}` }, hostRefreshMs: 60_000 });
  // The save dialog's stand-in: every download goes to a file in the test's directory.
  unregister = registerIpc(berth.service, (frame) => frame === ownFrame, () => undefined, async (download) => {
    const file = join(dir, download.filename);
    await pipeline(Readable.from(download.body), createWriteStream(file, { encoding: download.encoding }));
    return file;
  });
});

afterAll(async () => {
  unregister();
  await berth.close();
  rmSync(dir, { recursive: true, force: true });
});

const invoke = (name: string, input: unknown, frame: unknown = ownFrame) => handlers.get(ipcChannels.request(name as never))!({ senderFrame: frame }, input);

function fakeSender(id: number) {
  const sent: unknown[][] = [];
  const destroyedHandlers: (() => void)[] = [];
  return {
    sent,
    destroy: () => destroyedHandlers.forEach((fn) => fn()),
    sender: {
      id,
      isDestroyed: () => false,
      send: (...args: unknown[]) => void sent.push(args),
      once: (event: string, fn: () => void) => void (event === 'destroyed' && destroyedHandlers.push(fn)),
    },
  };
}

describe('registerIpc', () => {
  it('registers exactly one handler per contract request and download', () => {
    expect([...handlers.keys()].sort()).toEqual([...requestNames, ...downloadNames].map((n) => ipcChannels.request(n)).sort());
  });

  it('saves a download where the save dialog says, and answers where it went', async () => {
    const template = (await invoke('templates.create', { name: 'exported', image: 'busybox' })) as { value: { id: number } };
    const job = (await invoke('jobs.run', { templateId: template.value.id })) as { value: { id: number } };
    await vi.waitFor(async () => {
      const count = (await invoke('logs.count', { jobId: job.value.id })) as { value: { count: number } };
      expect(count.value.count).toBeGreaterThan(0);
    });
    const saved = (await invoke('logs.export', { jobId: job.value.id, format: 'ndjson' })) as { ok: boolean; value: { savedTo: string } };
    expect(saved.ok).toBe(true);
    expect(saved.value.savedTo).toMatch(new RegExp(`berth-logs-job-${job.value.id}-.*\\.ndjson$`));
    const lines = readFileSync(saved.value.savedTo, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { jobId: number });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.jobId === job.value.id)).toBe(true);
    expect(await invoke('logs.export', { format: 'yaml' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('answers envelopes: values, validation errors with a message, and refusals for other frames', async () => {
    const created = (await invoke('templates.create', { name: 'hello', image: 'busybox', command: 'echo hi' })) as { ok: boolean; value: { id: number; command: string[] } };
    expect(created.ok).toBe(true);
    expect(created.value.command).toEqual(['echo', 'hi']);

    const bad = (await invoke('templates.create', { name: '', image: 'busybox' })) as { ok: boolean; error: { code: string; message: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(bad.error.message).toMatch(/name/);

    expect(await invoke('jobs.get', { id: 12345 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await invoke('templates.list', {}, strangerFrame)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('sends events to every window', async () => {
    windowMessages.length = 0;
    await invoke('templates.create', { name: 'evented', image: 'busybox' });
    expect(windowMessages).toContainEqual([ipcChannels.event, 'template.created', expect.objectContaining({ name: 'evented' })]);
  });

  it('keeps stream subscriptions per window, refuses bad params, and drops them when the window goes', async () => {
    const win = fakeSender(7);
    const subscribe = onListeners.get(ipcChannels.subscribe)!;
    subscribe({ senderFrame: ownFrame, sender: win.sender }, 1, 'logs', { jobId: 'x' });
    expect(win.sent.at(-1)).toEqual([ipcChannels.stream, 1, undefined, expect.objectContaining({ code: 'bad_request' })]);

    // A real job on an unreachable host waits in the queue; its lines (queued, cancelled) reach its subscribers.
    const template = (await invoke('templates.create', { name: 'streamed', image: 'busybox' })) as { value: { id: number } };
    const job = (await invoke('jobs.run', { templateId: template.value.id })) as { value: { id: number } };
    subscribe({ senderFrame: ownFrame, sender: win.sender }, 2, 'logs', { jobId: job.value.id });
    subscribe({ senderFrame: strangerFrame, sender: win.sender }, 3, 'logs', { jobId: job.value.id });
    await invoke('jobs.cancel', { id: job.value.id });
    await vi.waitFor(() => expect(win.sent.some((m) => m[0] === ipcChannels.stream && m[1] === 2)).toBe(true), { timeout: 5000 });
    expect(win.sent.some((m) => m[1] === 3)).toBe(false);

    // Two windows follow the next job as it starts; one is closed at once: only the other hears it.
    const next = (await invoke('jobs.run', { templateId: template.value.id })) as { value: { id: number } };
    const nextJobId = next.value.id;
    const kept = fakeSender(8);
    subscribe({ senderFrame: ownFrame, sender: win.sender }, 4, 'logs', { jobId: nextJobId });
    subscribe({ senderFrame: ownFrame, sender: kept.sender }, 1, 'logs', { jobId: nextJobId });
    win.destroy();
    // It waits in the queue (its host is down); cancelling it writes the lines they follow.
    await invoke('jobs.cancel', { id: nextJobId });
    await vi.waitFor(() => expect(kept.sent.some((m) => m[0] === ipcChannels.stream && m[1] === 1)).toBe(true), { timeout: 5000 });
    expect(win.sent.some((m) => m[1] === 4)).toBe(false);
  });
});
