import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type RefObject } from 'react';
import { logLevels, type LevelCounts } from '../../../shared/model';
import { useClient } from '../client/client-context';
import { savePreferences, readPreferences } from '../lib/preferences';
import { LogView, type LogViewState } from '../log/log-view';
import { sourceFilter, sourceKey, type SourceRef } from '../log/source-ref';
import { routeHref } from '../routing/route';
import { reportError } from '../state/report-error';
import { DownloadMenu } from './download-menu';
import { toggleLevel } from '../log/levels';
import { LevelFilter } from './level-filter';

/** What a Playwright test finds on the pane's element. */
export interface LogPaneElement extends HTMLDivElement {
  readTerminalBuffer?: () => string[];
  readViewport?: () => string[];
  readScroll?: () => { viewportY: number; baseY: number; rows: number };
}

interface LogPaneProps {
  source: SourceRef;
  /** Open at this line id and highlight it. */
  lineId?: number;
  /** The source has ended (a finished job): nothing more will be streamed. */
  finished?: boolean;
  /** Stored lines per level, shown on the level toggles. */
  levelCounts?: LevelCounts;
}

const noView = {
  subscribe: () => () => {},
  getState: (): LogViewState | null => null,
};

/**
 * A job's or container's log in xterm, with search, level filter, follow/pause, timestamps,
 * wrap, paging back through the whole stored log, and download. Lines go from the stream and
 * the store straight into the terminal (see log/log-view.ts); React renders only the controls.
 */
export function LogPane({ source, lineId, finished = false, levelCounts }: LogPaneProps) {
  const client = useClient();
  const paneRef = useRef<LogPaneElement>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [view, setView] = useState<LogView | null>(null);
  const key = sourceKey(source);
  const initialLine = useRef(lineId);

  useEffect(() => {
    const pane = paneRef.current;
    const mount = mountRef.current;
    if (!pane || !mount) return;
    const prefs = readPreferences();
    const created = new LogView(mount, {
      client,
      source,
      lineId: initialLine.current,
      timestamps: prefs.timestamps,
      wrap: prefs.wrap,
      onError: reportError,
      onCount: (lines) => {
        pane.dataset.lineCount = String(lines);
        if (countRef.current) countRef.current.textContent = `${lines.toLocaleString()} ${lines === 1 ? 'line' : 'lines'} loaded`;
      },
    });
    setView(created);
    pane.readTerminalBuffer = () => created.readBuffer();
    pane.readViewport = () => created.readViewport();
    pane.readScroll = () => created.readScroll();
    // After a reconnect the server may have stored lines we never got a batch for.
    const offConnection = client.onConnection((state) => {
      if (state === 'open') created.catchUp();
    });
    return () => {
      offConnection();
      delete pane.readTerminalBuffer;
      delete pane.readViewport;
      delete pane.readScroll;
      created.dispose();
      setView(null);
    };
    // `source` is represented by its key.
  }, [client, key]);

  // A new link to a line of the same source: move there without a new terminal.
  useEffect(() => {
    if (lineId !== undefined && lineId !== initialLine.current) {
      initialLine.current = lineId;
      void view?.openAt(lineId);
    }
  }, [lineId, view]);

  // The last batches of a job can race its end; read the store once more when it finishes.
  const wasFinished = useRef(finished);
  useEffect(() => {
    if (finished && !wasFinished.current) view?.catchUp();
    wasFinished.current = finished;
  }, [finished, view]);

  const store = view ?? noView;
  const state = useSyncExternalStore(store.subscribe, store.getState);

  // Ctrl/Cmd+F searches the log, not the page; F3 and Shift+F3 move between matches.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const find = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f';
      if (find) {
        e.preventDefault();
        e.stopPropagation();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'F3' && searchRef.current?.value) {
        e.preventDefault();
        view?.search(searchRef.current.value, e.shiftKey ? 'previous' : 'next');
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [view]);

  const followState = !state
    ? 'loading'
    : state.mode === 'history'
      ? 'history'
      : state.paused
        ? 'paused'
        : finished
          ? 'finished'
          : 'following';

  return (
    <section className="log-pane-frame" data-testid="log-pane-frame">
      <div className="log-pane-toolbar">
        <div className="log-toolbar-group">
          <FollowControl state={state} followState={followState} view={view} />
          <span className="log-count" ref={countRef} data-testid="log-line-count" />
        </div>
        <SearchBox inputRef={searchRef} view={view} state={state} source={source} />
        <div className="log-toolbar-group">
          <LevelFilter
            value={state?.levels ?? logLevels}
            counts={levelCounts}
            onToggle={(level, only) => view?.setLevels(toggleLevel(view.getState().levels, level, only))}
          />
        </div>
        <div className="log-toolbar-group log-toolbar-end">
          <ToggleButton
            label="Timestamps"
            icon="◷"
            pressed={state?.timestamps ?? false}
            testId="log-toggle-timestamps"
            onClick={() => {
              const on = !state?.timestamps;
              savePreferences({ timestamps: on });
              view?.setTimestamps(on);
            }}
          />
          <ToggleButton
            label="Wrap"
            icon="↩"
            pressed={state?.wrap ?? true}
            testId="log-toggle-wrap"
            onClick={() => {
              const on = !state?.wrap;
              savePreferences({ wrap: on });
              view?.setWrap(on);
            }}
          />
          <button
            type="button"
            className="button button-small button-ghost log-tool"
            data-testid="log-jump-start"
            title="Go to the first stored line"
            onClick={() => void view?.jumpToStart()}
          >
            ⤒ Start
          </button>
          <DownloadMenu
            compact
            filter={() => ({
              ...sourceFilter(source),
              ...(state && state.levels.length < logLevels.length ? { level: [...state.levels] } : {}),
            })}
          />
        </div>
      </div>
      <div
        className="log-pane"
        data-testid="log-pane"
        ref={paneRef}
        data-mode={state?.mode ?? 'live'}
        data-phase={state?.phase ?? 'loading'}
        data-highlight-id={state?.highlightId ?? undefined}
      >
        <div className="log-pane-terminal" ref={mountRef} />
        {state?.loadingOlder && (
          <div className="log-pane-chip log-pane-chip-top" data-testid="log-loading-older" role="status">
            <span className="spinner" aria-hidden="true" /> Loading older lines…
          </div>
        )}
        {state?.loadingNewer && (
          <div className="log-pane-chip log-pane-chip-bottom" role="status">
            <span className="spinner" aria-hidden="true" /> Loading newer lines…
          </div>
        )}
        {state?.phase === 'ready' && state.highlightId !== null && !state.highlightFound && (
          <div className="log-pane-chip log-pane-chip-top log-pane-chip-warn" data-testid="log-line-missing" role="status">
            Line {state.highlightId} is no longer stored; showing the lines around where it was.
          </div>
        )}
        <PaneOverlay state={state} view={view} />
      </div>
    </section>
  );
}

function PaneOverlay({ state, view }: { state: LogViewState | null; view: LogView | null }) {
  if (!state || state.phase === 'loading') {
    return (
      <div className="log-pane-empty" data-testid="log-loading">
        <span className="spinner" aria-hidden="true" /> Loading the log…
      </div>
    );
  }
  if (state.phase === 'error') {
    return (
      <div className="log-pane-empty log-pane-error" data-testid="log-error" role="alert">
        <p>Could not read the log: {state.error}</p>
        <button type="button" className="button button-small" onClick={() => view?.retry()}>
          Retry
        </button>
      </div>
    );
  }
  if (state.empty) {
    const filtered = state.levels.length < logLevels.length;
    return (
      <div className="log-pane-empty" data-testid="log-empty">
        {filtered ? 'No lines at the chosen levels' : 'No output yet'}
      </div>
    );
  }
  return null;
}

function FollowControl({ state, followState, view }: { state: LogViewState | null; followState: string; view: LogView | null }) {
  if (!state || followState === 'loading') {
    return (
      <span className="log-follow" data-testid="log-follow-state" data-state="loading">
        <span className="log-follow-dot" aria-hidden="true" />
        Loading
      </span>
    );
  }
  if (followState === 'following' || followState === 'finished') {
    return (
      <span className="log-follow" data-testid="log-follow-state" data-state={followState}>
        <span className="log-follow-dot" aria-hidden="true" />
        {followState === 'finished' ? 'Finished' : 'Following live'}
        {followState === 'following' && (
          <button type="button" className="button button-small button-ghost log-tool" data-testid="log-pause" onClick={() => view?.pause()}>
            ❚❚ Pause
          </button>
        )}
      </span>
    );
  }
  return (
    <span className="log-follow" data-testid="log-follow-state" data-state={followState}>
      <span className="log-follow-dot" aria-hidden="true" />
      {followState === 'history' ? 'Older lines' : 'Paused'}
      <button type="button" className="button button-small log-resume" data-testid="log-resume" onClick={() => view?.resume()}>
        {followState === 'history' ? '⤓ Jump to latest' : '▶ Follow'}
        {state.newLines > 0 && <span className="log-new-lines"> · {state.newLines.toLocaleString()} new</span>}
      </button>
    </span>
  );
}

interface SearchBoxProps {
  inputRef: RefObject<HTMLInputElement | null>;
  view: LogView | null;
  state: LogViewState | null;
  source: SourceRef;
}

function SearchBox({ inputRef, view, state, source }: SearchBoxProps) {
  const [term, setTerm] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (value: string) => {
    setTerm(value);
    clearTimeout(timer.current);
    // Search as one types, once typing pauses.
    timer.current = setTimeout(() => view?.search(value, 'incremental'), 150);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer.current);
      view?.search(term, e.shiftKey ? 'previous' : 'next');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      clearTimeout(timer.current);
      setTerm('');
      view?.clearSearch();
      view?.focus();
    }
  };
  const search = state?.search;
  const counter = !search
    ? ''
    : search.count === 0
      ? 'No matches'
      : search.index < 0
        ? `${search.count.toLocaleString()}+ matches`
        : `${search.index + 1} of ${search.count.toLocaleString()}`;
  const historyHref = routeHref({ name: 'logs', query: new URLSearchParams({ q: term, source: sourceKey(source) }).toString() });

  return (
    <div className="log-search" role="search">
      <input
        ref={inputRef}
        className="input log-search-input"
        type="search"
        placeholder="Find in log (Ctrl+F)"
        aria-label="Find in the lines shown"
        value={term}
        spellCheck={false}
        data-testid="log-search-input"
        onChange={(e) => change(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <span className="log-search-count" data-testid="log-search-count" aria-live="polite" data-count={search?.count ?? 0} data-index={search?.index ?? -1}>
        {counter}
      </span>
      <button
        type="button"
        className="button button-small button-ghost log-tool"
        aria-label="Previous match (Shift+Enter)"
        title="Previous match (Shift+Enter)"
        data-testid="log-search-previous"
        disabled={!term}
        onClick={() => view?.search(term, 'previous')}
      >
        ↑
      </button>
      <button
        type="button"
        className="button button-small button-ghost log-tool"
        aria-label="Next match (Enter)"
        title="Next match (Enter)"
        data-testid="log-search-next"
        disabled={!term}
        onClick={() => view?.search(term, 'next')}
      >
        ↓
      </button>
      <a
        className="log-search-history"
        href={historyHref}
        title="Search every stored line of this log, not only the lines loaded here"
        data-testid="log-search-history"
        hidden={!term}
      >
        All history →
      </a>
    </div>
  );
}

interface ToggleButtonProps {
  label: string;
  icon: string;
  pressed: boolean;
  testId: string;
  onClick: () => void;
}

function ToggleButton({ label, icon, pressed, testId, onClick }: ToggleButtonProps) {
  return (
    <button type="button" className="button button-small button-ghost log-tool log-toggle" aria-pressed={pressed} data-testid={testId} onClick={onClick}>
      <span aria-hidden="true">{icon}</span> {label}
    </button>
  );
}
