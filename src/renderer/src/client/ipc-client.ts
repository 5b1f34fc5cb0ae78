import type { BerthBridge, ConnectionState, SavedDownload } from '../../../shared/client';
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
import type { RouteName } from '../../../shared/operations';
import type { Envelope } from '../../../shared/errors';
import type { AppClient } from './app-client';
import { ClientError, errorMessage } from './client-error';
import { unwrapEnvelope } from './envelope';

type BridgeMethod = (input: unknown) => Promise<Envelope<unknown>>;

/** The Electron transport: the preload bridge, one method per operation. */
export class IpcClient implements AppClient {
  readonly transport = 'ipc';
  /** IPC to our own main process cannot drop while the window lives. */
  readonly connectionState: ConnectionState = 'open';

  constructor(private readonly bridge: BerthBridge) {}

  async request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    return (await this.call(name, input)) as RequestOutput<N>;
  }

  /** Main shows a save dialog and streams the file there; false when the user cancelled. */
  async download<N extends DownloadName>(name: N, input: DownloadInput<N>): Promise<boolean> {
    const saved = (await this.call(name, input)) as SavedDownload;
    return saved?.savedTo != null;
  }

  private async call(name: RouteName, input: unknown): Promise<unknown> {
    const dot = name.indexOf('.');
    const group = (this.bridge as unknown as Record<string, Record<string, BridgeMethod> | undefined>)[name.slice(0, dot)];
    const method = group?.[name.slice(dot + 1)];
    if (typeof method !== 'function') throw new ClientError('internal', `the preload bridge has no ${name}`);
    let envelope: Envelope<unknown>;
    try {
      envelope = await method(input);
    } catch (err) {
      // Only a broken bridge rejects; handler errors arrive as envelopes.
      throw new ClientError('internal', errorMessage(err));
    }
    return unwrapEnvelope(envelope);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }

  subscribe<S extends StreamName>(stream: S, params: StreamParams<S>, listener: (payload: StreamPayload<S>) => void): () => void {
    return this.bridge.subscribe(stream, params, listener);
  }

  onConnection(_listener: (state: ConnectionState) => void): () => void {
    return () => {};
  }
}
