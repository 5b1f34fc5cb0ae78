// The preload's mapping from the contract to `window.berth`, with a stand-in for Electron's
// contextBridge and ipcRenderer (no Electron binary runs here; the mapping is pure logic).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels, requestNames } from '../shared/operations';

const exposed: Record<string, unknown> = {};
const invoked: { channel: string; input: unknown }[] = [];
const sent: { channel: string; args: unknown[] }[] = [];
const listeners = new Map<string, ((...args: unknown[]) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      invoked.push({ channel, input });
      return { ok: true, value: channel };
    },
    send: (channel: string, ...args: unknown[]) => void sent.push({ channel, args }),
    on: (channel: string, fn: (...args: unknown[]) => void) => void listeners.set(channel, [...(listeners.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
      void listeners.set(channel, (listeners.get(channel) ?? []).filter((f) => f !== fn)),
  },
}));

const emit = (channel: string, ...args: unknown[]) => {
  for (const fn of listeners.get(channel) ?? []) fn({}, ...args);
};

type Api = Record<string, Record<string, (input: unknown) => Promise<unknown>>> & {
  on(listener: (name: string, payload: unknown) => void): () => void;
  subscribe(stream: string, params: unknown, listener: (payload: unknown) => void): () => void;
};
let berth: Api;

beforeAll(async () => {
  await import('./index');
  berth = exposed.berth as Api;
});

describe('preload', () => {
  it('exposes one method per request, grouped by the request name, on the invoke channel named by the contract', async () => {
    expect(berth).toBeDefined();
    for (const name of requestNames) {
      const [group, member] = name.split('.') as [string, string];
      expect(typeof berth[group]?.[member], name).toBe('function');
      await expect(berth[group]![member]!({ probe: name })).resolves.toEqual({ ok: true, value: ipcChannels.request(name) });
    }
    expect(invoked.map((i) => i.channel)).toEqual(requestNames.map((n) => ipcChannels.request(n)));
    // Nothing else: no raw ipcRenderer, no stray helpers.
    const groups = new Set(requestNames.map((n) => n.split('.')[0]));
    expect(Object.keys(berth).filter((k) => !groups.has(k)).sort()).toEqual(['on', 'subscribe']);
  });

  it('delivers events until the listener is removed', () => {
    const heard: unknown[] = [];
    const off = berth.on((name, payload) => heard.push([name, payload]));
    emit(ipcChannels.event, 'job.updated', { id: 1 });
    off();
    emit(ipcChannels.event, 'job.updated', { id: 2 });
    expect(heard).toEqual([['job.updated', { id: 1 }]]);
  });

  it('routes stream batches by subscription and unsubscribes', () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = berth.subscribe('logs', { jobId: 1 }, (p) => a.push(p));
    berth.subscribe('logs', { jobId: 2 }, (p) => b.push(p));
    const subs = sent.filter((s) => s.channel === ipcChannels.subscribe);
    const [idA, idB] = subs.slice(-2).map((s) => s.args[0] as number);
    expect(subs.slice(-2).map((s) => s.args.slice(1))).toEqual([
      ['logs', { jobId: 1 }],
      ['logs', { jobId: 2 }],
    ]);
    emit(ipcChannels.stream, idA, 'for a');
    emit(ipcChannels.stream, idB, 'for b');
    offA();
    emit(ipcChannels.stream, idA, 'after unsubscribe');
    expect(a).toEqual(['for a']);
    expect(b).toEqual(['for b']);
    expect(sent.at(-1)).toEqual({ channel: ipcChannels.unsubscribe, args: [idA] });
  });
});
