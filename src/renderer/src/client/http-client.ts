import type { ConnectionState } from '../../../shared/client';
import type {
  DownloadInput,
  DownloadName,
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
  StreamName,
  StreamParams,
  StreamPayload,
} from '../../../shared/contract';
import { isErrorCode } from '../../../shared/errors';
import { wsPath, type ClientMessage, type ServerMessage } from '../../../shared/ws-protocol';
import type { AppClient } from './app-client';
import { reconnectDelay } from './backoff';
import { ClientError, codeForStatus } from './client-error';
import { buildDownloadUrl, buildHttpRequest } from './http-request';

interface Subscription {
  stream: StreamName;
  params: unknown;
  listener: (payload: never) => void;
}

type Listener = (payload: never) => void;

/** The browser transport: REST for requests, one WebSocket for events and streams. */
export class HttpClient implements AppClient {
  readonly transport = 'http';
  private state: ConnectionState = 'connecting';
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private nextSubId = 1;
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly eventListeners = new Map<EventName, Set<Listener>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly loc: Pick<Location, 'protocol' | 'host'> = window.location) {
    // A network change is a good moment to retry at once instead of waiting out the backoff.
    window.addEventListener('online', () => {
      if (this.state === 'closed') this.connectNow();
    });
    this.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  async request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const req = buildHttpRequest(name, input);
    let res: Response;
    try {
      res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, credentials: 'same-origin' });
    } catch {
      throw new ClientError('unavailable', 'Cannot reach the Berth server');
    }
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as RequestOutput<N>;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as RequestOutput<N>;
  }

  /**
   * A real browser download: a same-origin link with the `download` attribute, so the session
   * cookie goes along, the file streams to disk (never through page memory) and the server's
   * Content-Disposition names it. Errors cannot be read back from a download; callers check the
   * filters first (logs.count takes the same ones).
   */
  async download<N extends DownloadName>(name: N, input: DownloadInput<N>): Promise<boolean> {
    const link = document.createElement('a');
    link.href = buildDownloadUrl(name, input);
    link.download = '';
    link.rel = 'noopener';
    link.hidden = true;
    document.body.append(link);
    try {
      link.click();
    } finally {
      link.remove();
    }
    return true;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.eventListeners.get(event);
    if (!set) this.eventListeners.set(event, (set = new Set()));
    const entry = listener as Listener;
    set.add(entry);
    return () => set.delete(entry);
  }

  subscribe<S extends StreamName>(stream: S, params: StreamParams<S>, listener: (payload: StreamPayload<S>) => void): () => void {
    const subId = this.nextSubId++;
    this.subscriptions.set(subId, { stream, params, listener: listener as Listener });
    this.send({ type: 'subscribe', subId, stream, params });
    return () => {
      if (this.subscriptions.delete(subId)) this.send({ type: 'unsubscribe', subId });
    };
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private connect(): void {
    this.setState('connecting');
    const scheme = this.loc.protocol === 'https:' ? 'wss:' : 'ws:';
    let socket: WebSocket;
    try {
      socket = new WebSocket(`${scheme}//${this.loc.host}${wsPath}`);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      // The server forgot our subscriptions with the old socket.
      for (const [subId, sub] of this.subscriptions) {
        this.send({ type: 'subscribe', subId, stream: sub.stream, params: sub.params });
      }
      this.setState('open');
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState('closed');
      this.scheduleReconnect();
    };
    // onclose follows every error; reconnecting happens there.
    socket.onerror = () => {};
  }

  private connectNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.socket) this.connect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, reconnectDelay(this.attempt++));
  }

  private send(message: ClientMessage): void {
    // While not open, subscriptions wait in the map and are sent on open.
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'event') {
      for (const listener of this.eventListeners.get(message.name) ?? []) safely(listener, message.payload);
    } else if (message.type === 'stream') {
      const sub = this.subscriptions.get(message.subId);
      if (sub) safely(sub.listener, message.payload);
    } else if (message.type === 'error') {
      console.warn(`berth: server error${message.subId ? ` on subscription ${message.subId}` : ''}: ${message.error?.message}`);
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.connectionListeners) safely(listener as Listener, state);
  }
}

/** One throwing listener must not starve the others. */
function safely(listener: Listener, payload: unknown): void {
  try {
    (listener as (payload: unknown) => void)(payload);
  } catch (err) {
    console.error(err);
  }
}

async function errorFromResponse(res: Response): Promise<ClientError> {
  let code = codeForStatus(res.status);
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (isErrorCode(body?.error?.code)) code = body.error.code;
    if (typeof body?.error?.message === 'string' && body.error.message) message = body.error.message;
  } catch {
    // Not our JSON (a proxy page, an empty body): the status says enough.
  }
  // The sign-in screen keys on this code, whatever the body claimed.
  if (res.status === 401) code = 'unauthorized';
  return new ClientError(code, message, res.status);
}
