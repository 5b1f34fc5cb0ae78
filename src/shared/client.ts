/**
 * What the renderer talks to. Inside Electron it is backed by the preload bridge, in a browser by
 * HTTP + WebSocket; both are built from the contract.
 */
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
  StreamName,
  StreamParams,
  StreamPayload,
} from './contract';
import type { Envelope } from './errors';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface BerthClient {
  request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    listener: (payload: StreamPayload<S>) => void,
  ): () => void;
  /** Fires when the link to main drops or comes back; after a reconnect, state must be re-read. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

type Group<N extends string> = N extends `${infer G}.${string}` ? G : never;
type Member<N extends string, G extends string> = N extends `${G}.${infer M}` ? M : never;
type Joined<G extends string, M extends string> = `${G}.${M}` & RequestName;

/** `window.berth`: one method per operation, grouped like the operation names (`berth.jobs.run`). */
export type BerthBridge = {
  [G in Group<RequestName>]: {
    [M in Member<RequestName, G>]: (input: RequestInput<Joined<G, M>>) => Promise<Envelope<RequestOutput<Joined<G, M>>>>;
  };
} & {
  on(listener: (name: EventName, payload: EventPayload<EventName>) => void): () => void;
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    listener: (payload: StreamPayload<S>) => void,
  ): () => void;
};
