/**
 * What the renderer talks to. Inside Electron it is backed by the preload bridge, in a browser by
 * HTTP + WebSocket; both are built from the contract.
 */
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
} from './contract';
import type { Envelope } from './errors';
import type { RouteName } from './operations';

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
  /**
   * Saves a streamed answer as a file: a browser download over HTTP, a save dialog in Electron.
   * Resolves once the transfer has been handed over (HTTP) or written (Electron; false if the user cancelled).
   */
  download<N extends DownloadName>(name: N, input: DownloadInput<N>): Promise<boolean>;
}

/** What a download answers over IPC: where the file went, or null if the user cancelled the dialog. */
export interface SavedDownload {
  savedTo: string | null;
}

type Group<N extends string> = N extends `${infer G}.${string}` ? G : never;
type Member<N extends string, G extends string> = N extends `${G}.${infer M}` ? M : never;
type Joined<G extends string, M extends string> = `${G}.${M}` & RouteName;
type BridgeMethod<N extends RouteName> = N extends DownloadName
  ? (input: DownloadInput<N>) => Promise<Envelope<SavedDownload>>
  : N extends RequestName
    ? (input: RequestInput<N>) => Promise<Envelope<RequestOutput<N>>>
    : never;

/** `window.berth`: one method per operation, grouped like the operation names (`berth.jobs.run`). */
export type BerthBridge = {
  [G in Group<RouteName>]: {
    [M in Member<RouteName, G>]: BridgeMethod<Joined<G, M>>;
  };
} & {
  on(listener: (name: EventName, payload: EventPayload<EventName>) => void): () => void;
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    listener: (payload: StreamPayload<S>) => void,
  ): () => void;
};
