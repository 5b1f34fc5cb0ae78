import type { LogBatch, LogLine } from '../../../shared/model';

export type BatchListener = (batch: LogBatch) => void;

/** Who a followed source is, as its batches name it. */
export interface SourceKey {
  jobId: number | null;
  containerId: string | null;
}

interface Followers {
  key: SourceKey;
  listeners: Set<BatchListener>;
}

/**
 * Hands each stored batch of a source's lines to whoever follows that source (a job, an attached
 * container), straight from memory. The writer sends back lines only of sources someone follows:
 * `onFollow` tells it when a source gains its first follower or loses its last.
 */
export class LiveHub {
  private readonly bySource = new Map<number, Followers>();

  constructor(private readonly onFollow: (sourceId: number, on: boolean) => void = () => undefined) {}

  subscribe(sourceId: number, key: SourceKey, listener: BatchListener): () => void {
    let followers = this.bySource.get(sourceId);
    if (!followers) {
      followers = { key, listeners: new Set() };
      this.bySource.set(sourceId, followers);
      this.onFollow(sourceId, true);
    }
    followers.listeners.add(listener);
    return () => {
      const current = this.bySource.get(sourceId);
      if (!current || !current.listeners.delete(listener) || current.listeners.size > 0) return;
      this.bySource.delete(sourceId);
      this.onFollow(sourceId, false);
    };
  }

  publish(sourceId: number, prevId: number, lines: LogLine[]): void {
    const followers = this.bySource.get(sourceId);
    if (!followers || lines.length === 0) return;
    const batch: LogBatch = { ...followers.key, prevId, lines };
    for (const listener of followers.listeners) {
      try {
        listener(batch);
      } catch {
        // A failing subscriber re-reads from the store when it notices the gap.
      }
    }
  }
}
