import type { LogBatch, LogLine } from '../../../shared/model';
import { Stream, levelName, sourceName, type StoredLine } from './log-codes';

export type BatchListener = (batch: LogBatch) => void;

/** Hands each stored batch of a job's lines to whoever follows that job, straight from memory. */
export class LiveHub {
  private readonly byJob = new Map<number, Set<BatchListener>>();

  subscribe(jobId: number, listener: BatchListener): () => void {
    let set = this.byJob.get(jobId);
    if (!set) {
      set = new Set();
      this.byJob.set(jobId, set);
    }
    set.add(listener);
    return () => {
      const current = this.byJob.get(jobId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.byJob.delete(jobId);
    };
  }

  publish(jobId: number, prevId: number, stored: readonly StoredLine[]): void {
    const set = this.byJob.get(jobId);
    if (!set || stored.length === 0) return;
    const batch: LogBatch = { jobId, prevId, lines: stored.map(toLogLine) };
    for (const listener of set) {
      try {
        listener(batch);
      } catch {
        // A failing subscriber re-reads from the store when it notices the gap.
      }
    }
  }
}

function toLogLine(l: StoredLine): LogLine {
  return {
    id: l.id,
    timestamp: l.ts,
    level: levelName(l.level),
    source: sourceName(l.source),
    isStdErr: l.stream === Stream.Stderr,
    message: l.message,
  };
}
