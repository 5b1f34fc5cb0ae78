/**
 * One source's log in an xterm terminal: the controller behind the log pane.
 *
 *   loading ──first read──▶ live ◀──────────── jump to latest / paged forward to the end
 *                            │  ▲
 *        scroll up / Pause   │  │ scroll to the bottom / Resume
 *                            ▼  │
 *                           live, paused (new lines held, "N new lines")
 *                            │
 *        paged back past the window, or too much held
 *                            ▼
 *                          history (the window ends in the past; live lines are not shown)
 *
 * The terminal holds a window of at most `windowCap` lines (xterm cannot prepend, and a million
 * rows would not fit in memory). Scrolling near its top reads the page before it from the store
 * and rebuilds the terminal around the line that was on top, so the view does not move; in
 * history, scrolling near the bottom appends the next page, and reaching the end follows live
 * again. Rows are mapped to line ids by counting lines in the buffer (one log line is one
 * terminal line, wrapped or not: see terminal-buffer.ts).
 *
 * Log lines never go through React: they go from the store and the stream into `LogWindow` and
 * the terminal. React reads the small `LogViewState` through `subscribe`/`getState`.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import { logLevels, type LogEntry, type LogLevel, type LogLine } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { FrameWriter } from './frame-writer';
import { entryToLine, formatLogLine } from './log-format';
import { LogSequencer, type SequencerQuery } from './log-sequencer';
import { LogWindow, planWindow } from './log-window';
import { sourceFilter, type SourceRef } from './source-ref';
import { countLines, lastLineRow, lineAtRow, readBufferLines, rowOfLine } from './terminal-buffer';
import { logTerminalOptions } from './terminal-theme';

export interface LogViewState {
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  /** live: the window reaches the newest line and follows it; history: it shows older lines. */
  mode: 'live' | 'history';
  /** Not following: the person scrolled up or pressed Pause. */
  paused: boolean;
  pausedBy: 'scroll' | 'button' | null;
  /** Lines that arrived while paused and are not shown yet. */
  newLines: number;
  loadingOlder: boolean;
  loadingNewer: boolean;
  /** The store has lines before the first one shown (for the current levels). */
  hasOlder: boolean;
  /** Nothing at all is shown. */
  empty: boolean;
  levels: LogLevel[];
  timestamps: boolean;
  wrap: boolean;
  /** The line a link opened the log at; `highlightFound` false when the store no longer has it. */
  highlightId: number | null;
  highlightFound: boolean;
  search: { term: string; index: number; count: number } | null;
}

export interface LogViewOptions {
  client: AppClient;
  source: SourceRef;
  timestamps: boolean;
  wrap: boolean;
  /** Open at this line (and highlight it) instead of the tail. */
  lineId?: number;
  onError: (err: unknown, what: string) => void;
  /** Lines shown, updated without React on every write. */
  onCount?: (lines: number) => void;
}

/** The newest lines read first, and the size of each page read when scrolling. */
const pageSize = 2000;
/** At most this many lines in the terminal after a rebuild. */
const windowCap = 8000;
/** xterm's own bound, in rows; lines the window keeps must cover what xterm can hold. */
const scrollbackRows = 10_000;
/** Live lines held while paused before the view gives up following (they stay in the store). */
const maxHeld = 20_000;

const searchOptions: ISearchOptions = {
  caseSensitive: false,
  decorations: {
    matchBackground: '#5c4a0c',
    matchBorder: '#a88414',
    matchOverviewRuler: '#d9a514',
    activeMatchBackground: '#b86e00',
    activeMatchBorder: '#ffcc66',
    activeMatchColorOverviewRuler: '#ff9d00',
  },
};

export class LogView {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly searchAddon = new SearchAddon({ highlightLimit: 2000 });
  private readonly window = new LogWindow();
  private writer: FrameWriter;
  private sequencer: LogSequencer | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Bumped by every reload: late answers of an older one are dropped. */
  private gen = 0;
  /** A rebuild is repositioning the view: scroll events are ours, live lines wait. */
  private restoring = false;
  private ignoreScrollUntil = 0;
  private disposed = false;
  private state: LogViewState;
  private readonly listeners = new Set<() => void>();
  private emitFrame: number | null = null;
  private resizeFrame: number | null = null;
  private lastCols = 0;
  private readonly observer: ResizeObserver;
  private readonly disposables: Array<{ dispose(): void }> = [];

  constructor(
    private readonly mount: HTMLElement,
    private readonly options: LogViewOptions,
  ) {
    this.state = {
      phase: 'loading',
      error: null,
      mode: 'live',
      paused: false,
      pausedBy: null,
      newLines: 0,
      loadingOlder: false,
      loadingNewer: false,
      hasOlder: false,
      empty: true,
      levels: [...logLevels],
      timestamps: options.timestamps,
      wrap: options.wrap,
      highlightId: options.lineId ?? null,
      highlightFound: true,
      search: null,
    };
    this.term = new Terminal({
      // The search addon draws its matches with decorations, still a proposed API in xterm 6.
      allowProposedApi: true,
      ...logTerminalOptions(scrollbackRows),
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.searchAddon);
    this.term.open(mount);
    this.refit();
    this.lastCols = this.term.cols;
    this.writer = this.newWriter();
    this.disposables.push(
      this.term.onScroll(() => this.onScroll()),
      this.searchAddon.onDidChangeResults(({ resultIndex, resultCount }) => {
        const search = this.state.search;
        if (search) this.setState({ search: { ...search, index: resultIndex, count: resultCount } });
      }),
    );
    // xterm scrolls on the wheel without always reporting a scroll first; check after each.
    mount.addEventListener('wheel', this.onWheel, { passive: true });
    this.observer = new ResizeObserver(() => {
      if (this.resizeFrame !== null) return;
      this.resizeFrame = requestAnimationFrame(() => {
        this.resizeFrame = null;
        this.onResize();
      });
    });
    this.observer.observe(mount);

    if (options.lineId !== undefined) void this.openAt(options.lineId);
    else this.jumpToLatest();
  }

  // --- React's side -------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): LogViewState => this.state;

  private setState(patch: Partial<LogViewState>): void {
    let changed = false;
    for (const key of Object.keys(patch) as Array<keyof LogViewState>) {
      if (this.state[key] !== patch[key]) changed = true;
    }
    if (!changed || this.disposed) return;
    this.state = { ...this.state, ...patch };
    // At most one React update per frame, however many batches arrive.
    if (this.emitFrame === null) {
      this.emitFrame = requestAnimationFrame(() => {
        this.emitFrame = null;
        for (const listener of this.listeners) listener();
      });
    }
  }

  // --- commands -----------------------------------------------------------------------------

  /** Reads the newest lines and follows the live output. */
  jumpToLatest(): void {
    const gen = this.restart();
    this.window.reset([], { hasOlder: false, detached: false });
    this.setState({ phase: 'loading', error: null, mode: 'live', paused: false, pausedBy: null, newLines: 0 });
    this.startLive(gen, undefined);
  }

  /** Reads the first lines of the log. */
  async jumpToStart(): Promise<void> {
    const gen = this.restart();
    this.setState({ phase: 'loading', error: null });
    try {
      const { logs, truncated } = await this.query({ afterId: 0, limit: pageSize });
      if (gen !== this.gen) return;
      const atEnd = logs.length < pageSize && !truncated;
      this.window.reset(logs.map(entryToLine), { hasOlder: false, detached: !atEnd });
      await this.rebuild(gen, { index: 0, offset: 0 });
      if (gen !== this.gen) return;
      this.setState({ phase: 'ready', mode: atEnd ? 'live' : 'history', paused: true, pausedBy: 'scroll', newLines: 0 });
      if (atEnd) this.startLive(gen, this.window.last?.id ?? 0);
    } catch (err) {
      this.fail(gen, err, 'Reading the start of the log failed');
    }
  }

  /** Reads the lines around `lineId`, scrolls it to the middle and highlights it. */
  async openAt(lineId: number): Promise<void> {
    const gen = this.restart();
    // The line may be at a level the filter hides: show every level.
    this.setState({ phase: 'loading', error: null, highlightId: lineId, levels: [...logLevels] });
    const half = pageSize / 2;
    try {
      const [before, after] = await Promise.all([
        this.query({ beforeId: lineId + 1, limit: half }),
        this.query({ afterId: lineId, limit: half }),
      ]);
      if (gen !== this.gen) return;
      const lines = [...before.logs, ...after.logs].map(entryToLine);
      const atEnd = after.logs.length < half && !after.truncated;
      this.window.reset(lines, { hasOlder: before.logs.length === half || before.truncated === true, detached: !atEnd });
      const index = this.window.indexAtOrAfter(lineId);
      const found = index >= 0 && this.window.lines[index]!.id === lineId;
      await this.rebuild(gen, { index: index >= 0 ? index : Math.max(0, lines.length - 1), offset: 0, center: true });
      if (gen !== this.gen) return;
      const atBottom = this.atBottom();
      this.setState({
        phase: 'ready',
        highlightFound: found,
        mode: atEnd ? 'live' : 'history',
        paused: !atBottom || !atEnd,
        pausedBy: !atBottom || !atEnd ? 'scroll' : null,
        newLines: 0,
      });
      if (atEnd) this.startLive(gen, this.window.last?.id ?? lineId);
    } catch (err) {
      this.fail(gen, err, `Reading the log around line ${lineId} failed`);
    }
  }

  setLevels(levels: LogLevel[]): void {
    const chosen = logLevels.filter((l) => levels.includes(l));
    this.setState({ levels: chosen.length > 0 ? chosen : [...logLevels] });
    this.jumpToLatest();
  }

  setTimestamps(on: boolean): void {
    this.setState({ timestamps: on });
    void this.rerender();
  }

  setWrap(on: boolean): void {
    this.setState({ wrap: on });
    void this.rerender();
  }

  pause(): void {
    if (!this.state.paused) this.setState({ paused: true, pausedBy: 'button', newLines: this.window.held });
  }

  /** Follows the live output again: shows the held lines, or reads the tail if the view left it. */
  resume(): void {
    if (this.state.mode === 'history' || this.window.detached) {
      this.jumpToLatest();
      return;
    }
    this.setState({ paused: false, pausedBy: null, newLines: 0 });
    this.flush();
    this.scrollProgrammatically(() => this.term.scrollToBottom());
  }

  /** Reads what the store has past the last line (after a reconnect, or when a job ends). */
  catchUp(): void {
    this.sequencer?.catchUp();
  }

  retry(): void {
    if (this.state.highlightId !== null && this.window.lines.length === 0) void this.openAt(this.state.highlightId);
    else this.jumpToLatest();
  }

  /** Finds `term` in the lines shown, highlighting every match; moves to the next or previous one. */
  search(term: string, direction: 'next' | 'previous' | 'incremental'): void {
    if (!term) {
      this.clearSearch();
      return;
    }
    this.setState({ search: { term, index: this.state.search?.term === term ? this.state.search.index : -1, count: this.state.search?.count ?? 0 } });
    if (direction === 'previous') this.searchAddon.findPrevious(term, searchOptions);
    else this.searchAddon.findNext(term, { ...searchOptions, incremental: direction === 'incremental' });
  }

  clearSearch(): void {
    this.searchAddon.clearDecorations();
    this.term.clearSelection();
    this.setState({ search: null });
  }

  focus(): void {
    this.term.focus();
  }

  /** The text of every line the terminal holds (tests read the log this way, not from pixels). */
  readBuffer(): string[] {
    return readBufferLines(this.term.buffer.active);
  }

  /** Where the view is scrolled to, in rows. */
  readScroll(): { viewportY: number; baseY: number; rows: number } {
    const buffer = this.term.buffer.active;
    return { viewportY: buffer.viewportY, baseY: buffer.baseY, rows: this.term.rows };
  }

  /** The text of the rows on screen. */
  readViewport(): string[] {
    const buffer = this.term.buffer.active;
    return readBufferLines(buffer, buffer.viewportY, buffer.viewportY + this.term.rows - 1);
  }

  dispose(): void {
    this.disposed = true;
    this.gen++;
    this.stopLive();
    this.writer.dispose();
    this.observer.disconnect();
    this.mount.removeEventListener('wheel', this.onWheel);
    if (this.emitFrame !== null) cancelAnimationFrame(this.emitFrame);
    if (this.resizeFrame !== null) cancelAnimationFrame(this.resizeFrame);
    for (const d of this.disposables) d.dispose();
    this.listeners.clear();
    this.term.dispose();
  }

  // --- live output --------------------------------------------------------------------------

  /** Stops following, drops the terminal's content, and starts a new generation. */
  private restart(): number {
    this.stopLive();
    this.gen++;
    // Clearing the terminal scrolls it: that must not look like the person paging.
    this.setState({ phase: 'loading' });
    this.restoring = false;
    this.mount.classList.remove('is-rebuilding');
    this.writer.dispose();
    this.term.reset();
    this.writer = this.newWriter();
    this.reportCount();
    this.setState({ loadingOlder: false, loadingNewer: false });
    return this.gen;
  }

  /** Follows the source: the stored tail (or what follows `afterId`), then live batches. */
  private startLive(gen: number, afterId: number | undefined): void {
    this.stopLive();
    const tail = afterId === undefined;
    const sequencer = new LogSequencer({
      source: this.options.source,
      levels: this.state.levels,
      query: (input) => this.options.client.request('logs.query', input),
      tailLimit: pageSize,
      pageLimit: 5000,
      startAfterId: afterId,
      write: (lines) => this.onLiveLines(gen, lines),
      onLoaded: ({ lines }) => {
        if (gen !== this.gen) return;
        if (tail) {
          this.window.hasOlder = lines >= pageSize;
          this.setState({ phase: 'ready', hasOlder: this.window.hasOlder, empty: this.window.lines.length === 0 });
        }
      },
      onError: (err) => {
        if (gen !== this.gen) return;
        if (this.state.phase === 'loading') this.fail(gen, err, 'Reading the log failed');
        else this.options.onError(err, 'Reading the log failed');
      },
    });
    this.sequencer = sequencer;
    // Subscribe before reading the store, so no line falls between the two.
    this.unsubscribe = this.options.client.subscribe('logs', sourceFilter(this.options.source), (batch) => sequencer.push(batch));
    sequencer.start();
  }

  private stopLive(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.sequencer?.dispose();
    this.sequencer = null;
  }

  private onLiveLines(gen: number, lines: LogLine[]): Promise<void> | undefined {
    if (gen !== this.gen) return undefined;
    this.window.append(lines);
    if (this.state.paused || this.restoring) {
      if (this.window.held > maxHeld) {
        // Too far behind to keep following: the lines stay in the store, Resume reads the tail.
        this.window.dropHeld();
        this.stopLive();
        this.setState({ mode: 'history' });
      }
      if (this.state.paused) this.setState({ newLines: this.window.held });
      return undefined;
    }
    return this.flush();
  }

  /** Hands the lines not yet in the terminal to it. */
  private flush(): Promise<void> | undefined {
    const lines = this.window.takeUnqueued();
    if (lines.length === 0) return undefined;
    if (this.state.empty) this.setState({ empty: false });
    return this.writer.write(lines.map(this.format));
  }

  private newWriter(maxFrameChars?: number): FrameWriter {
    // Each writer counts from zero; the window counts since its last reset.
    let counted = 0;
    return new FrameWriter(this.term, {
      maxFrameChars,
      onWritten: (total) => {
        this.window.setParsed(this.window.parsed + total - counted);
        counted = total;
        if (this.window.trimFront(scrollbackRows + this.term.rows) > 0) this.setState({ hasOlder: true });
        this.reportCount();
      },
    });
  }

  private reportCount(): void {
    this.options.onCount?.(this.window.parsed);
  }

  private format = (line: LogLine): string =>
    formatLogLine(line, {
      timestamps: this.state.timestamps,
      maxCells: this.state.wrap ? undefined : this.term.cols - 1,
      highlight: line.id === this.state.highlightId,
    });

  // --- paging and rebuilding ----------------------------------------------------------------

  private onWheel = (): void => {
    requestAnimationFrame(() => this.onScroll());
  };

  private onScroll(): void {
    if (this.disposed || this.restoring || this.state.phase !== 'ready') return;
    const buffer = this.term.buffer.active;
    const ours = performance.now() < this.ignoreScrollUntil;
    const atBottom = buffer.viewportY >= buffer.baseY;
    if (!ours && this.state.mode === 'live') {
      if (!atBottom && !this.state.paused) this.setState({ paused: true, pausedBy: 'scroll', newLines: this.window.held });
      else if (atBottom && this.state.paused && this.state.pausedBy === 'scroll') this.resume();
    }
    // Near the top, scrolled there (not a short log still filling the screen): read the page before.
    if (!atBottom && buffer.viewportY <= this.term.rows && (this.state.hasOlder || this.window.hasOlder)) void this.loadOlder();
    if (this.state.mode === 'history' && buffer.viewportY >= buffer.baseY - this.term.rows) void this.loadNewer();
  }

  /** Which window line is at the top of the screen, and how many rows into it. */
  private viewportAnchor(): { index: number; offset: number } {
    const buffer = this.term.buffer.active;
    const top = this.window.topIndex(countLines(buffer));
    const { line, offset } = lineAtRow(buffer, buffer.viewportY);
    return { index: top + line, offset };
  }

  /** The row on which window line `index` starts, or -1 if the terminal does not hold it. */
  private rowOfIndex(index: number): number {
    const buffer = this.term.buffer.active;
    const last = lastLineRow(buffer);
    const top = this.window.topIndex(countLines(buffer, last));
    return index < top ? -1 : rowOfLine(buffer, index - top, last);
  }

  private async loadOlder(): Promise<void> {
    if (this.state.loadingOlder || this.state.loadingNewer || this.restoring) return;
    const gen = this.gen;
    this.setState({ loadingOlder: true });
    try {
      await this.writer.whenDrained();
      if (gen !== this.gen) return;
      let anchor = this.viewportAnchor();
      const topIndex = this.window.topIndex(countLines(this.term.buffer.active));
      if (topIndex < pageSize / 2 && this.window.hasOlder && this.window.first) {
        const { logs, truncated } = await this.query({ beforeId: this.window.first.id, limit: pageSize });
        if (gen !== this.gen) return;
        // The person may have scrolled on while the page was read.
        anchor = this.viewportAnchor();
        anchor.index += this.window.prepend(logs.map(entryToLine), logs.length === pageSize || truncated === true);
      } else if (topIndex === 0) {
        this.setState({ hasOlder: false });
        return;
      }
      const { start, end } = planWindow(this.window.lines.length, anchor.index, windowCap, pageSize);
      const cutsTail = end < this.window.lines.length;
      this.window.slice(start, end);
      if (cutsTail && this.state.mode === 'live') {
        this.stopLive();
        this.setState({ mode: 'history', paused: true, pausedBy: 'scroll' });
      }
      await this.rebuild(gen, { index: anchor.index - start, offset: anchor.offset });
      if (gen === this.gen) this.setState({ hasOlder: this.window.hasOlder });
    } catch (err) {
      if (gen === this.gen) this.options.onError(err, 'Reading older lines failed');
    } finally {
      if (gen === this.gen) this.setState({ loadingOlder: false });
    }
  }

  private async loadNewer(): Promise<void> {
    if (this.state.loadingNewer || this.state.loadingOlder || this.restoring || this.state.mode !== 'history') return;
    const last = this.window.last;
    if (!last || this.sequencer) return;
    const gen = this.gen;
    this.setState({ loadingNewer: true });
    try {
      const { logs } = await this.query({ afterId: last.id, limit: pageSize });
      if (gen !== this.gen) return;
      await this.writer.whenDrained();
      if (gen !== this.gen) return;
      // Appending would pull a view that sits at the bottom down with it: keep it where it is.
      const anchor = this.viewportAnchor();
      const trimmed = this.window.trimmed;
      this.window.append(logs.map(entryToLine));
      this.restoring = true;
      void this.flush();
      await this.writer.whenDrained();
      if (gen !== this.gen) return;
      this.scrollToIndex(anchor.index - (this.window.trimmed - trimmed), anchor.offset);
      this.restoring = false;
      if (logs.length < pageSize) {
        // The end of the log: follow it from here.
        this.window.detached = false;
        this.setState({ mode: 'live', paused: true, pausedBy: 'scroll', newLines: 0 });
        this.startLive(gen, this.window.last?.id ?? last.id);
      }
    } catch (err) {
      if (gen === this.gen) this.options.onError(err, 'Reading newer lines failed');
    } finally {
      if (gen === this.gen) {
        this.restoring = false;
        this.setState({ loadingNewer: false });
      }
    }
  }

  /** Writes the window again (timestamps, wrap or width changed), keeping the top line in place. */
  private async rerender(): Promise<void> {
    if (this.state.phase !== 'ready') return;
    const gen = this.gen;
    await this.writer.whenDrained();
    if (gen !== this.gen) return;
    const follow = !this.state.paused;
    const anchor = this.viewportAnchor();
    // Lines the terminal dropped (scrollback) are not written again, held ones not yet.
    const top = this.window.topIndex(countLines(this.term.buffer.active));
    const shown = this.window.queued - top;
    const detached = this.window.detached;
    this.window.slice(top, this.window.lines.length);
    this.window.detached = detached;
    await this.rebuild(gen, follow ? { bottom: true } : { index: anchor.index - top, offset: anchor.offset }, shown);
  }

  /**
   * Clears the terminal, writes the whole window and puts the view back: line `index` at the top
   * (`offset` rows into it), in the middle (`center`), or at the bottom. The terminal is hidden
   * meanwhile so the rewrite does not flash by; live lines wait.
   */
  private async rebuild(
    gen: number,
    at: { index: number; offset: number; center?: boolean } | { bottom: true },
    count = this.window.lines.length,
  ): Promise<void> {
    this.restoring = true;
    this.mount.classList.add('is-rebuilding');
    try {
      this.writer.dispose();
      this.term.reset();
      // Hidden, so whole chunks at once: xterm parses faster than frames go by.
      this.writer = this.newWriter(1024 * 1024);
      const lines = this.window.lines.slice(0, count);
      this.window.queued = lines.length;
      this.window.parsed = 0;
      this.setState({ empty: lines.length === 0 });
      void this.writer.write(lines.map(this.format));
      await this.writer.whenDrained();
      if (gen !== this.gen) return;
      this.writer.dispose();
      this.writer = this.newWriter();
      this.window.setParsed(this.window.queued);
      this.reportCount();
      if ('bottom' in at) this.scrollProgrammatically(() => this.term.scrollToBottom());
      else this.scrollToIndex(at.index, at.offset, at.center);
    } finally {
      if (gen === this.gen) {
        this.restoring = false;
        // Let xterm paint the restored view before showing it.
        requestAnimationFrame(() => {
          if (gen === this.gen) this.mount.classList.remove('is-rebuilding');
        });
        if (!this.state.paused) void this.flush();
      }
    }
  }

  private scrollToIndex(index: number, offset: number, center = false): void {
    const row = this.rowOfIndex(Math.max(0, index));
    if (row < 0) return;
    const target = center ? row - Math.floor(this.term.rows / 2) : row + offset;
    this.scrollProgrammatically(() => this.term.scrollToLine(Math.max(0, target)));
  }

  private scrollProgrammatically(scroll: () => void): void {
    this.ignoreScrollUntil = performance.now() + 100;
    scroll();
  }

  private atBottom(): boolean {
    const buffer = this.term.buffer.active;
    return buffer.viewportY >= buffer.baseY;
  }

  private onResize(): void {
    // xterm keeps the bottom row in place when it gets shorter or longer; a person reading
    // older lines keeps the line on top of the screen instead.
    const rows = this.term.rows;
    const keep = this.state.phase === 'ready' && !this.restoring && !this.atBottom() ? this.viewportAnchor() : null;
    this.refit();
    if (keep && (this.term.rows !== rows || this.term.cols !== this.lastCols)) {
      this.scrollToIndex(keep.index, this.term.cols === this.lastCols ? keep.offset : 0);
    }
    if (this.term.cols !== this.lastCols) {
      this.lastCols = this.term.cols;
      // Wrap off cuts lines to the width: cut them again for the new one.
      if (!this.state.wrap) void this.rerender();
    }
  }

  private refit(): void {
    // fit() cannot measure a hidden element; the next resize will come.
    try {
      this.fit.fit();
    } catch {
      /* not laid out yet */
    }
  }

  private query(page: { afterId?: number; beforeId?: number; limit: number }): Promise<{ logs: LogEntry[]; truncated?: true }> {
    const levels = this.state.levels.length < logLevels.length ? { level: [...this.state.levels] } : {};
    const input: SequencerQuery & { beforeId?: number } = { ...sourceFilter(this.options.source), ...levels, ...page };
    return this.options.client.request('logs.query', input);
  }

  private fail(gen: number, err: unknown, what: string): void {
    if (gen !== this.gen) return;
    this.options.onError(err, what);
    this.setState({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
  }
}
