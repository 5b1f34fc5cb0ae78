/**
 * Several sources' live output in one terminal, each line behind its source's name in the
 * source's colour. Each source has its own sequencer (stored tail, then gap-free live lines);
 * the tails are interleaved by id (`TailMerger`), live lines are shown as they come.
 *
 * Scrolling up (or Pause) holds new lines so the view stays put; scrolling back to the bottom
 * (or Follow) shows them. Lines never go through React.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { LogLine } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { FrameWriter } from './frame-writer';
import { formatLogLine } from './log-format';
import { LogSequencer } from './log-sequencer';
import { sourceLabel } from './source-colours';
import { sourceFilter, sourceKey, type SourceRef } from './source-ref';
import { TailMerger } from './tail-merger';
import { readBufferLines } from './terminal-buffer';
import { logTerminalOptions } from './terminal-theme';

export interface MergedSource {
  ref: SourceRef;
  name: string;
  /** A 256-colour palette index. */
  colour: number;
}

export interface MergedViewState {
  loading: boolean;
  paused: boolean;
  /** Lines held while paused. */
  held: number;
  /** Held lines dropped because too many arrived while paused. */
  dropped: number;
}

export interface MergedViewOptions {
  client: AppClient;
  sources: MergedSource[];
  timestamps: boolean;
  onError: (err: unknown, what: string) => void;
  onCount?: (lines: number) => void;
}

/** Stored lines shown per source when the view opens. */
const tailPerSource = 200;
const maxHeld = 20_000;

export class MergedView {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly writer: FrameWriter;
  private readonly sequencers: LogSequencer[] = [];
  private readonly unsubscribes: Array<() => void> = [];
  private readonly labels = new Map<string, { text: string; cells: number }>();
  private held: Array<{ key: string; line: LogLine }> = [];
  private state: MergedViewState;
  private readonly listeners = new Set<() => void>();
  private readonly observer: ResizeObserver;
  private frame: number | null = null;
  private disposed = false;

  constructor(
    private readonly mount: HTMLElement,
    private readonly options: MergedViewOptions,
  ) {
    this.state = { loading: options.sources.length > 0, paused: false, held: 0, dropped: 0 };
    this.term = new Terminal(logTerminalOptions(10_000));
    this.term.loadAddon(this.fit);
    this.term.open(mount);
    this.refit();
    this.writer = new FrameWriter(this.term, { onWritten: (total) => options.onCount?.(total) });
    this.term.onScroll(() => this.onScroll());
    mount.addEventListener('wheel', this.onWheel, { passive: true });
    this.observer = new ResizeObserver(() => this.refit());
    this.observer.observe(mount);

    const width = Math.min(20, Math.max(4, ...options.sources.map((s) => [...s.name].length)));
    for (const source of options.sources) this.labels.set(sourceKey(source.ref), sourceLabel(source.name, source.colour, width));
    const merger = new TailMerger(
      options.sources.map((s) => sourceKey(s.ref)),
      (lines) => this.show(lines),
    );
    for (const source of options.sources) {
      const key = sourceKey(source.ref);
      const sequencer = new LogSequencer({
        source: source.ref,
        query: (input) => options.client.request('logs.query', input),
        tailLimit: tailPerSource,
        write: (lines) => merger.write(key, lines),
        onLoaded: () => {
          merger.loaded(key);
          if (!merger.merging) this.setState({ loading: false });
        },
        onError: (err) => {
          // A source that cannot be read must not hold the others back.
          merger.loaded(key);
          if (!merger.merging) this.setState({ loading: false });
          options.onError(err, `Reading ${source.name} failed`);
        },
      });
      this.sequencers.push(sequencer);
      this.unsubscribes.push(options.client.subscribe('logs', sourceFilter(source.ref), (batch) => sequencer.push(batch)));
      sequencer.start();
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): MergedViewState => this.state;

  pause(): void {
    this.setState({ paused: true });
  }

  resume(): void {
    const held = this.held;
    this.held = [];
    this.setState({ paused: false, held: 0, dropped: 0 });
    this.write(held);
    this.term.scrollToBottom();
  }

  catchUp(): void {
    for (const sequencer of this.sequencers) sequencer.catchUp();
  }

  clear(): void {
    this.term.clear();
  }

  readBuffer(): string[] {
    return readBufferLines(this.term.buffer.active);
  }

  dispose(): void {
    this.disposed = true;
    for (const off of this.unsubscribes) off();
    for (const sequencer of this.sequencers) sequencer.dispose();
    this.writer.dispose();
    this.observer.disconnect();
    this.mount.removeEventListener('wheel', this.onWheel);
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.listeners.clear();
    this.term.dispose();
  }

  private show(lines: Array<{ key: string; line: LogLine }>): void {
    if (this.disposed) return;
    if (!this.state.paused) {
      this.write(lines);
      return;
    }
    for (const item of lines) this.held.push(item);
    let dropped = this.state.dropped;
    if (this.held.length > maxHeld) {
      dropped += this.held.length - maxHeld;
      this.held.splice(0, this.held.length - maxHeld);
    }
    this.setState({ held: this.held.length, dropped });
  }

  private write(lines: Array<{ key: string; line: LogLine }>): void {
    if (lines.length === 0) return;
    void this.writer.write(
      lines.map(({ key, line }) => formatLogLine(line, { label: this.labels.get(key), timestamps: this.options.timestamps })),
    );
  }

  private onWheel = (): void => {
    requestAnimationFrame(() => this.onScroll());
  };

  private onScroll(): void {
    if (this.disposed) return;
    const buffer = this.term.buffer.active;
    const atBottom = buffer.viewportY >= buffer.baseY;
    if (!atBottom && !this.state.paused) this.pause();
    else if (atBottom && this.state.paused && this.held.length > 0) this.resume();
  }

  private refit(): void {
    try {
      this.fit.fit();
    } catch {
      /* not laid out yet */
    }
  }

  private setState(patch: Partial<MergedViewState>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch };
    if (this.frame === null) {
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        for (const listener of this.listeners) listener();
      });
    }
  }
}
