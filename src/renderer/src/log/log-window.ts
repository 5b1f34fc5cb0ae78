import type { LogLine } from '../../../shared/model';

/**
 * The lines a log pane holds, in id order: a window onto a log that may be far longer than what
 * a terminal can keep (xterm cannot prepend, and a million rows would not fit in memory).
 *
 * The front `queued` lines have been handed to the terminal, `parsed` of them parsed by it; the
 * rest arrived while the view was paused. The terminal itself may have dropped some of the oldest
 * parsed lines (its scrollback is bounded by rows, not lines); the pane works out which by
 * counting lines in the terminal buffer from the bottom (see terminal-buffer.ts).
 */
export class LogWindow {
  lines: LogLine[] = [];
  /** Lines handed to the terminal (the front of `lines`). */
  queued = 0;
  /** Lines the terminal has parsed (the front of `queued`). */
  parsed = 0;
  /** The store has lines older than `lines[0]` that match the pane's filter. */
  hasOlder = false;
  /** The window stops before the newest line: it shows history and does not follow the live output. */
  detached = false;
  /** Lines `trimFront` has dropped so far: an index taken earlier moves down by the difference. */
  trimmed = 0;

  /** Starts over with these lines, none handed to the terminal yet. */
  reset(lines: LogLine[], edges: { hasOlder: boolean; detached: boolean }): void {
    this.lines = lines;
    this.queued = 0;
    this.parsed = 0;
    this.hasOlder = edges.hasOlder;
    this.detached = edges.detached;
  }

  get first(): LogLine | undefined {
    return this.lines[0];
  }

  get last(): LogLine | undefined {
    return this.lines[this.lines.length - 1];
  }

  /** Lines that arrived but were not handed to the terminal (paused). */
  get held(): number {
    return this.lines.length - this.queued;
  }

  append(lines: readonly LogLine[]): void {
    for (const line of lines) this.lines.push(line);
  }

  /** The lines not handed to the terminal yet, now marked as handed. */
  takeUnqueued(): LogLine[] {
    const out = this.lines.slice(this.queued);
    this.queued = this.lines.length;
    return out;
  }

  /** The terminal reports its running total of parsed lines (of this window's generation). */
  setParsed(total: number): void {
    this.parsed = Math.min(total, this.queued);
  }

  /** Drops lines arrived while paused (too many to hold): the window now ends in the past. */
  dropHeld(): void {
    this.lines.length = this.queued;
    this.detached = true;
  }

  /**
   * Forgets the oldest lines once more than `keep` parsed lines are held, `slack` at a time so
   * that the array is not shifted on every write. `keep` must cover what the terminal can hold.
   */
  trimFront(keep: number, slack = 2000): number {
    if (this.parsed <= keep + slack) return 0;
    const drop = this.parsed - keep;
    this.lines.splice(0, drop);
    this.queued -= drop;
    this.parsed -= drop;
    this.trimmed += drop;
    this.hasOlder = true;
    return drop;
  }

  /** Index of the line with this id, or -1. */
  indexOfId(id: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.lines[mid]!.id;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the first line with an id at or above `id` (where a filtered-out target would be), or -1. */
  indexAtOrAfter(id: number): number {
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lines[mid]!.id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.lines.length ? lo : -1;
  }

  /** Index in `lines` of the terminal's first line, given how many lines the terminal holds. */
  topIndex(linesInTerminal: number): number {
    return Math.max(0, this.parsed - linesInTerminal);
  }

  /** Puts older lines in front (a page read from the store); returns how far indexes moved. */
  prepend(older: readonly LogLine[], hasOlder: boolean): number {
    const first = this.first?.id ?? Infinity;
    const fresh = older.filter((l) => l.id < first);
    this.lines = [...fresh, ...this.lines];
    this.queued += fresh.length;
    this.parsed += fresh.length;
    this.hasOlder = hasOlder;
    return fresh.length;
  }

  /**
   * Keeps only `[start, end)` for a rebuild of the terminal: the lines cut at the end mean the
   * window no longer reaches the newest line.
   */
  slice(start: number, end: number): void {
    if (end < this.lines.length) this.detached = true;
    if (start > 0) this.hasOlder = true;
    this.lines = this.lines.slice(start, end);
    this.queued = 0;
    this.parsed = 0;
  }
}

/**
 * Which lines to keep when the terminal is rebuilt around `anchor` (an index into `total` lines):
 * at most `cap` lines, `below` of them after the anchor when there are that many, the rest before.
 */
export function planWindow(total: number, anchor: number, cap: number, below: number): { start: number; end: number } {
  if (total <= cap) return { start: 0, end: total };
  const safeAnchor = Math.min(Math.max(0, anchor), total - 1);
  let end = Math.min(total, safeAnchor + 1 + Math.max(0, below));
  let start = Math.max(0, end - cap);
  end = Math.min(total, start + cap);
  if (safeAnchor < start) start = safeAnchor;
  return { start, end };
}
