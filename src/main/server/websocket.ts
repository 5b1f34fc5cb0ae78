/**
 * The WebSocket side of the HTTP adapter: every contract event to every client, and stream
 * batches to the clients that subscribed. A client that cannot keep up loses live batches, never
 * events; each batch says which line came before it, so the client re-reads what it missed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamName } from '../../shared/contract';
import { errorBodyOf } from '../../shared/errors';
import type { ClientMessage, ServerMessage } from '../../shared/ws-protocol';
import type { BerthService } from '../core/service';

export interface WebSocketHubOptions {
  /** Above this many bytes queued for a client, live log batches for it are skipped. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
}

export class WebSocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly service: BerthService,
    options: WebSocketHubOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.wss.on('connection', (ws) => this.onConnection(ws));
    // Drops clients whose connection died without a close (a laptop lid, a pulled cable).
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }, options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Takes over an upgrade request that has already passed the host, origin and auth checks. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    this.wss.close();
  }

  private onConnection(ws: WebSocket): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    const subscriptions = new Map<number, () => void>();
    const send = (msg: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const offEvents = this.service.onEvent((name, payload) => send({ type: 'event', name, payload }));

    ws.on('message', (data, isBinary) => {
      let msg: ClientMessage;
      try {
        if (isBinary) throw new Error('binary messages are not supported');
        msg = JSON.parse(String(data)) as ClientMessage;
        if (!msg || typeof msg !== 'object' || typeof msg.subId !== 'number') throw new Error('expected {type, subId, …}');
      } catch (err) {
        send({ type: 'error', error: { code: 'bad_request', message: `bad message: ${(err as Error).message}` } });
        return;
      }
      if (msg.type === 'unsubscribe') {
        subscriptions.get(msg.subId)?.();
        subscriptions.delete(msg.subId);
        return;
      }
      if (msg.type !== 'subscribe') {
        const unknown = msg as { type: unknown; subId: number };
        send({ type: 'error', subId: unknown.subId, error: { code: 'bad_request', message: `unknown message type '${String(unknown.type)}'` } });
        return;
      }
      const { subId } = msg;
      subscriptions.get(subId)?.();
      try {
        const off = this.service.subscribe(msg.stream as StreamName, msg.params, (payload) => {
          if (ws.bufferedAmount > this.maxBufferedBytes) return;
          send({ type: 'stream', subId, payload });
        });
        subscriptions.set(subId, off);
      } catch (err) {
        send({ type: 'error', subId, error: errorBodyOf(err) });
      }
    });

    ws.on('close', () => {
      offEvents();
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
    });
    ws.on('error', () => ws.terminate());
  }
}
