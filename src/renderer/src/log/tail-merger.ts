import type { LogLine } from '../../../shared/model';

/**
 * Interleaves the first reads of several sources by line id (ids are global and increase as
 * lines are stored, so id order is store order), then passes live lines straight through.
 *
 * Each source's sequencer writes its stored tail, then live lines. Until every source has
 * reported its first read (`loaded`), lines are held and handed on merged; after that, each
 * write goes out as it comes, since live lines arrive roughly in store order anyway.
 */
export class TailMerger<K> {
  private readonly pending = new Set<K>();
  private held: Array<{ key: K; line: LogLine }> = [];
  private open = false;

  constructor(
    keys: Iterable<K>,
    private readonly emit: (lines: Array<{ key: K; line: LogLine }>) => void,
  ) {
    for (const key of keys) this.pending.add(key);
    if (this.pending.size === 0) this.open = true;
  }

  get merging(): boolean {
    return !this.open;
  }

  write(key: K, lines: readonly LogLine[]): void {
    const tagged = lines.map((line) => ({ key, line }));
    if (this.open) {
      if (tagged.length > 0) this.emit(tagged);
      return;
    }
    for (const item of tagged) this.held.push(item);
  }

  /** The source's first read is written (or failed: it must not hold the others back). */
  loaded(key: K): void {
    if (!this.pending.delete(key) || this.pending.size > 0 || this.open) return;
    this.open = true;
    const held = this.held.sort((a, b) => a.line.id - b.line.id);
    this.held = [];
    if (held.length > 0) this.emit(held);
  }
}
