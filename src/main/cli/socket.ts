/**
 * The WebSocket side of a client command (`/api/v1/ws`, the token in the header, no Origin):
 * events and stream subscriptions. The protocol has no acknowledgement of a subscription, so
 * `subscribe()` follows it with a request the server is sure to refuse (a stream that does not
 * exist) and waits for that refusal: messages are handled in order, so by then the subscription
 * is in place, or its own refusal has arrived first.
 */
import WebSocket from 'ws';
import type { EventName, StreamName } from '../../shared/contract';
import type { ClientMessage, ServerMessage } from '../../shared/ws-protocol';
import { wsPath } from '../../shared/ws-protocol';
import { ApiError, connectionFailure } from './api-client';
import { badTokenMessage, CliError, type Endpoint } from './endpoint';

export interface SocketHandlers {
  event(name: EventName, payload: unknown): void;
  stream(subId: number, payload: unknown): void;
  /** The connection ended without `close()` being called. */
  closed(error: CliError): void;
}

/** How long to wait for the server to confirm a subscription before going on anyway. */
const confirmTimeoutMs = 10_000;
const barrierStream = 'berth-cli.sync';

export class BerthSocket {
  private nextSubId = 1;
  private closing = false;
  /** Subscriptions waiting for their confirmation, by the subId of their barrier. */
  private readonly pending = new Map<number, { subId: number; resolve: () => void; reject: (err: Error) => void }>();

  private constructor(
    private readonly ws: WebSocket,
    endpoint: Endpoint,
    private readonly handlers: SocketHandlers,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(data)) as ServerMessage;
      } catch {
        return;
      }
      this.onMessage(msg);
    });
    ws.on('close', (code, reason) => {
      const error = new CliError(
        code === 1001 ? `Berth on ${endpoint.address} is shutting down` : `lost the connection to Berth on ${endpoint.address}${reason.length ? ` (${reason.toString()})` : ''}`,
      );
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      if (!this.closing) handlers.closed(error);
    });
    ws.on('error', () => {
      // 'close' follows and says it.
    });
  }

  /** Opens the socket; resolves once the server has taken it (and sends it every event from then on). */
  static connect(endpoint: Endpoint, handlers: SocketHandlers): Promise<BerthSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${endpoint.address}${wsPath}`, {
        headers: { authorization: `Bearer ${endpoint.token}` },
        perMessageDeflate: false,
        handshakeTimeout: 15_000,
      });
      const fail = (err: CliError) => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(err);
      };
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        fail(status === 401 ? new ApiError(401, 'unauthorized', badTokenMessage(endpoint.address)) : new CliError(`Berth on ${endpoint.address} refused the WebSocket (HTTP ${status})`));
      });
      ws.once('error', (err) => fail(connectionFailure(err, endpoint.address)));
      ws.once('open', () => {
        ws.removeAllListeners();
        resolve(new BerthSocket(ws, endpoint, handlers));
      });
    });
  }

  /**
   * Subscribes to a stream. Its batches carry `subId` (they may come before `ready` settles);
   * `ready` settles once the server has the subscription in place, or rejects with the server's
   * message if it refused it.
   */
  subscribe(stream: StreamName, params: unknown): { subId: number; ready: Promise<void> } {
    const subId = this.nextSubId++;
    const barrier = this.nextSubId++;
    this.send({ type: 'subscribe', subId, stream, params });
    this.send({ type: 'subscribe', subId: barrier, stream: barrierStream as StreamName, params: {} });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A server that answers differently: go on; the gap check covers the rest.
        this.pending.delete(barrier);
        resolve();
      }, confirmTimeoutMs);
      timer.unref();
      this.pending.set(barrier, {
        subId,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
    return { subId, ready };
  }

  close(): void {
    this.closing = true;
    this.ws.close(1000);
    // Do not wait for the server's close frame.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private send(msg: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private onMessage(msg: ServerMessage): void {
    if (msg.type === 'event') return this.handlers.event(msg.name, msg.payload);
    if (msg.type === 'stream') return this.handlers.stream(msg.subId, msg.payload);
    if (msg.type !== 'error' || msg.subId === undefined) return;
    const barrier = this.pending.get(msg.subId);
    if (barrier) {
      this.pending.delete(msg.subId);
      return barrier.resolve();
    }
    // A subscription refused: reject whoever waits for it.
    for (const [key, waiting] of this.pending) {
      if (waiting.subId === msg.subId) {
        this.pending.delete(key);
        return waiting.reject(new ApiError(0, msg.error.code, msg.error.message));
      }
    }
  }
}
