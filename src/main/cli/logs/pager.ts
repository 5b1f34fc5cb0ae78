/**
 * Reading stored lines through `GET /api/v1/logs` in pages, so that any number of lines is
 * printed with a page or two in memory: forward with `afterId` (the next page is requested while
 * this one is printed), and back with `beforeId` to find where the last n lines begin.
 */
import type { RequestInput } from '../../../shared/contract';
import type { LogEntry, LogLevel, LogSource } from '../../../shared/model';
import type { ApiClient } from '../api-client';

/** Whose lines: one job's, or one container's. */
export type LogScope = { jobId: number } | { containerId: string };

/** What the server filters on, besides the scope and the paging. */
export interface ServerFilter {
  level?: LogLevel[];
  sourceType?: LogSource[];
  since?: number;
  until?: number;
  q?: string;
}

/** The most the API answers in one page. */
export const maxPageSize = 100_000;
export const defaultPageSize = 10_000;

export class LogPager {
  constructor(
    private readonly api: ApiClient,
    private readonly scope: LogScope,
    readonly pageSize = defaultPageSize,
  ) {
    if (pageSize < 1 || pageSize > maxPageSize) throw new RangeError(`page size must be 1 to ${maxPageSize}`);
  }

  /** The id of the scope's newest stored line, whatever the filters; 0 if it has none. */
  async newestId(): Promise<number> {
    const { logs } = await this.query({}, { limit: 1 });
    return logs[0]?.id ?? 0;
  }

  /** Lines with ids in (afterId, upTo], oldest first, a page at a time; upTo null: as far as there are lines. */
  async *forward(filter: ServerFilter, afterId: number, upTo: number | null): AsyncGenerator<LogEntry[]> {
    if (upTo !== null && afterId >= upTo) return;
    const fetch = (after: number) => {
      const p = this.query(filter, { afterId: after, beforeId: upTo === null ? undefined : upTo + 1, limit: this.pageSize });
      // Left unawaited if the consumer stops early; its failure then matters to no one.
      p.catch(() => undefined);
      return p;
    };
    let next = fetch(afterId);
    for (;;) {
      const { logs: page, truncated } = await next;
      if (page.length === 0) return;
      const last = page[page.length - 1]!.id;
      // A page cut short by the server's size cap is not the end.
      const more = (page.length === this.pageSize || truncated === true) && (upTo === null || last < upTo);
      // Ask for the next page while this one is being printed.
      if (more) next = fetch(last);
      yield page;
      if (!more) return;
    }
  }

  /** The newest `n` lines up to `upTo` (inclusive), oldest first, a page at a time. */
  async *tail(filter: ServerFilter, n: number, upTo: number): AsyncGenerator<LogEntry[]> {
    if (n <= 0 || upTo <= 0) return;
    if (n <= this.pageSize) {
      const { logs, truncated } = await this.query(filter, { beforeId: upTo + 1, limit: n });
      if (!truncated) {
        if (logs.length > 0) yield logs;
        return;
      }
    }
    // Walk back to the first of the n lines, then print forward from there.
    let first = upTo + 1;
    let remaining = n;
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const { logs, truncated } = await this.query(filter, { beforeId: first, limit });
      if (logs.length === 0) break;
      first = logs[0]!.id;
      remaining -= logs.length;
      if (logs.length < limit && !truncated) break;
    }
    if (first > upTo) return;
    yield* this.forward(filter, first - 1, upTo);
  }

  private query(filter: ServerFilter, paging: { afterId?: number; beforeId?: number; limit: number }) {
    const input: RequestInput<'logs.query'> = { ...this.scope, ...filter, ...paging };
    return this.api.get('logs.query', input);
  }
}
