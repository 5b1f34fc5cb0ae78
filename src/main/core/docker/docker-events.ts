/**
 * Listens to each host's container events (start, die, destroy) over one long-lived request per
 * host, reconnecting with a backoff when the engine goes away. After every (re)connect the owner
 * is told, so it can compare what it believes with what runs: events missed while disconnected
 * are never trusted to arrive later.
 */
import type { HostRegistry } from './host-registry';

export interface ContainerEvent {
  hostId: number;
  action: 'start' | 'die' | 'destroy';
  containerId: string;
  name: string;
  labels: Record<string, string>;
}

export interface DockerEventsHandlers {
  onEvent: (event: ContainerEvent) => void;
  onConnect: (hostId: number) => void;
}

const retryMs = [500, 1000, 2000, 5000, 10_000];

interface Watch {
  abort: AbortController;
  timer: NodeJS.Timeout | null;
}

export class DockerEvents {
  private readonly watches = new Map<number, Watch>();

  constructor(
    private readonly hosts: HostRegistry,
    private readonly handlers: DockerEventsHandlers,
  ) {}

  watch(hostId: number): void {
    if (this.watches.has(hostId)) return;
    const watch: Watch = { abort: new AbortController(), timer: null };
    this.watches.set(hostId, watch);
    void this.loop(hostId, watch, 0);
  }

  unwatch(hostId: number): void {
    const watch = this.watches.get(hostId);
    if (!watch) return;
    this.watches.delete(hostId);
    watch.abort.abort();
    if (watch.timer) clearTimeout(watch.timer);
  }

  close(): void {
    for (const hostId of [...this.watches.keys()]) this.unwatch(hostId);
  }

  private async loop(hostId: number, watch: Watch, failures: number): Promise<void> {
    if (watch.abort.signal.aborted) return;
    let connected = false;
    try {
      const docker = this.hosts.client(hostId);
      const stream = (await (docker as unknown as { getEvents(o: object): Promise<NodeJS.ReadableStream> }).getEvents({
        filters: { type: ['container'], event: ['start', 'die', 'destroy'] },
        abortSignal: watch.abort.signal,
      })) as NodeJS.ReadableStream;
      connected = true;
      this.handlers.onConnect(hostId);
      await this.read(hostId, stream);
    } catch {
      // Refused, cut off, or aborted: all end in a retry unless we stopped watching.
    }
    if (watch.abort.signal.aborted) return;
    const next = connected ? 0 : failures + 1;
    watch.timer = setTimeout(() => {
      watch.timer = null;
      void this.loop(hostId, watch, next);
    }, retryMs[Math.min(next, retryMs.length - 1)]);
    watch.timer.unref();
  }

  private read(hostId: number, stream: NodeJS.ReadableStream): Promise<void> {
    return new Promise((resolve) => {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        let nl: number;
        while ((nl = rest.indexOf('\n')) !== -1) {
          const line = rest.slice(0, nl).trim();
          rest = rest.slice(nl + 1);
          if (line) this.dispatch(hostId, line);
        }
      });
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', resolve);
    });
  }

  private dispatch(hostId: number, line: string): void {
    let e: { Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; id?: string };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      return;
    }
    const action = e.Action;
    if (action !== 'start' && action !== 'die' && action !== 'destroy') return;
    const attributes = { ...(e.Actor?.Attributes ?? {}) };
    const name = attributes.name ?? '';
    // Docker mixes the container's labels with image and name attributes; drop those it adds.
    delete attributes.name;
    delete attributes.image;
    delete attributes.exitCode;
    try {
      this.handlers.onEvent({ hostId, action, containerId: e.Actor?.ID ?? e.id ?? '', name, labels: attributes });
    } catch {
      // A handler's trouble must not stop the stream.
    }
  }
}

