/**
 * Messages on the WebSocket at `wsPath`. Requests go over plain HTTP (the REST routes in the
 * contract); the socket only carries events and stream subscriptions.
 */
import type { EventName, StreamName } from './contract';
import type { ErrorBody } from './errors';

export const wsPath = '/api/v1/ws';

export type ClientMessage =
  | { type: 'subscribe'; subId: number; stream: StreamName; params: unknown }
  | { type: 'unsubscribe'; subId: number };

export type ServerMessage =
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'stream'; subId: number; payload: unknown }
  | { type: 'error'; subId?: number; error: ErrorBody };

/** REST error bodies look like this, whatever the status. */
export interface HttpErrorBody {
  error: ErrorBody;
}

/** Fills `:name` segments of a contract route from the input; returns the path and what is left. */
export function fillPath(path: string, input: Record<string, unknown>): { path: string; rest: Record<string, unknown> } {
  const rest = { ...input };
  const filled = path.replace(/:(\w+)/g, (_, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  return { path: filled, rest };
}
