import type { BerthHandlers, DownloadHandlers, ParsedInput } from '../../../shared/contract';
import type { DownloadName, RequestName } from '../../../shared/operations';

/** One area's share of the contract's handlers (jobs.*, logs.*, …); service.ts composes them. */
export type HandlersFor<G extends string> = Pick<BerthHandlers, Extract<RequestName, `${G}.${string}`>>;
export type DownloadsFor<G extends string> = Pick<DownloadHandlers, Extract<DownloadName, `${G}.${string}`>>;

/**
 * Requests that can answer with their JSON body already serialized (text, or UTF-8 bytes), for
 * transports that send JSON anyway: big answers are then never turned into objects on the main
 * thread. Each must give the same JSON as its handler would.
 */
export type JsonHandlers = { [N in RequestName]?: (input: ParsedInput<N>) => Promise<string | Uint8Array> };
