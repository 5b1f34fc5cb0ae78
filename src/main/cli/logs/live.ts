/**
 * Putting live batches in order after the stored lines, with every line printed exactly once.
 *
 * `lastSeen` is the id up to which every line of the source has been dealt with (printed, or
 * left out by a filter). A batch whose `prevId` is above it means lines were missed (the server
 * skips batches for a client far behind, and the writer starts sending a source's lines only
 * once someone follows it): those are read from the REST API first. Lines at or below
 * `lastSeen` (stored lines printed already) are skipped.
 */
import type { LogBatch, LogEntry, LogLine } from '../../../shared/model';

export interface LiveSink {
  /** Stored lines with ids in (afterId, upTo], a page at a time, with the server-side filters; upTo null: all there are. */
  range(afterId: number, upTo: number | null): AsyncIterable<LogEntry[]>;
  /** Prints stored lines (those the local filter takes). */
  entries(entries: readonly LogEntry[]): Promise<void>;
  /** Prints live lines (those the local filter takes). */
  lines(lines: readonly LogLine[]): Promise<void>;
}

export class LiveSequencer {
  constructor(
    /** Every line up to this id has been dealt with. */
    public lastSeen: number,
    private readonly sink: LiveSink,
    /** Read every line from the REST API rather than from the batch (to print whole LogEntry objects). */
    private readonly fromStore: boolean,
  ) {}

  async batch(batch: LogBatch): Promise<void> {
    const { lines } = batch;
    if (lines.length === 0) return;
    const last = lines[lines.length - 1]!.id;
    if (last <= this.lastSeen) return;
    if (this.fromStore) return this.upTo(last);
    // Lines stored before this batch that we have not seen: read them first.
    if (batch.prevId > this.lastSeen) await this.upTo(batch.prevId);
    const fresh = lines[0]!.id > this.lastSeen ? lines : lines.filter((l) => l.id > this.lastSeen);
    await this.sink.lines(fresh);
    this.lastSeen = last;
  }

  /** Reads and prints everything up to `id` (inclusive). */
  async upTo(id: number): Promise<void> {
    if (id <= this.lastSeen) return;
    for await (const page of this.sink.range(this.lastSeen, id)) await this.sink.entries(page);
    this.lastSeen = id;
  }

  /** Reads and prints every line stored after `lastSeen`: the end of a finished job. */
  async rest(): Promise<void> {
    for await (const page of this.sink.range(this.lastSeen, null)) {
      await this.sink.entries(page);
      this.lastSeen = page[page.length - 1]!.id;
    }
  }
}
