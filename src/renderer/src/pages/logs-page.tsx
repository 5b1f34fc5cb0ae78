import { lazy, Suspense, useEffect, useMemo, useRef, useState, type Dispatch, type FormEvent, type ReactNode, type SetStateAction } from 'react';
import { logLevels, type LogEntry } from '../../../shared/model';
import { useClient } from '../client/client-context';
import { errorMessage, isUnauthorized } from '../client/client-error';
import { DownloadMenu } from '../components/download-menu';
import { EmptyState } from '../components/empty-state';
import { LevelFilter } from '../components/level-filter';
import { toggleLevel } from '../log/levels';
import { createLimiter } from '../lib/limiter';
import { formatLineTime, sanitizeMessage } from '../log/log-format';
import { parseSourceKey } from '../log/source-ref';
import { queryTerms, regexSpans, splitBySpans, termSpans, type Span } from '../logs/highlight';
import { emptySearch, searchFilter, searchFromQuery, searchToQuery, type LogFilterInput, type LogSearch } from '../logs/log-search';
import { timePresets, type TimePreset } from '../logs/time-range';
import { routeHref } from '../routing/route';
import { navigate } from '../routing/use-route';
import { useAttachments } from '../state/attachments-store';
import { reportError } from '../state/report-error';
import { useTemplates } from '../state/templates-store';

// The live view holds a terminal; load xterm only when it is opened.
const LiveLogs = lazy(() => import('./live-logs').then((m) => ({ default: m.LiveLogs })));

/** Hits read per page. */
const hitPage = 100;
/** Lines of context read before and after each hit. */
const contextLines = 2;

export function LogsPage({ tab, query, sources }: { tab: 'search' | 'live'; query: string; sources: string[] }) {
  return (
    <div className={`page ${tab === 'live' ? 'page-job' : ''}`} data-testid="logs-page">
      <div className="page-head">
        <h1 className="page-title">Logs</h1>
        <nav className="tabs" aria-label="Logs views">
          <a className="tab" href="#/logs" aria-current={tab === 'search' ? 'page' : undefined} data-testid="logs-tab-search">
            Search
          </a>
          <a className="tab" href="#/logs/live" aria-current={tab === 'live' ? 'page' : undefined} data-testid="logs-tab-live">
            Live
          </a>
        </nav>
      </div>
      {tab === 'search' ? (
        <LogSearchView query={query} />
      ) : (
        <Suspense fallback={<EmptyState title="Loading…" />}>
          <LiveLogs sources={sources} />
        </Suspense>
      )}
    </div>
  );
}

interface Results {
  /** The search these hits answer (its query string). */
  key: string;
  /** Newest first. */
  hits: LogEntry[];
  more: boolean;
  total: number | null;
}

function LogSearchView({ query }: { query: string }) {
  const client = useClient();
  const search = useMemo(() => searchFromQuery(query), [query]);
  const [form, setForm] = useState<LogSearch>(search);
  const [results, setResults] = useState<Results | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  /** The filters of the search shown, with `since`/`until` fixed when it ran (paging must not move them). */
  const shownFilter = useRef<LogFilterInput | null>(null);
  const [run, setRun] = useState(0);

  // The URL is the search: a new one (submitted, linked, back button) runs it.
  useEffect(() => {
    setForm(search);
    const built = searchFilter(search, Date.now());
    const mine = ++seq.current;
    if ('error' in built) {
      setError(built.error);
      setResults(null);
      return;
    }
    shownFilter.current = built.filter;
    setLoading(true);
    setError(null);
    void (async () => {
      const count = client.request('logs.count', built.filter).then(
        (c) => c.count,
        () => null,
      );
      try {
        const { logs } = await client.request('logs.query', { ...built.filter, limit: hitPage });
        if (mine !== seq.current) return;
        setResults({ key: query, hits: [...logs].reverse(), more: logs.length === hitPage, total: null });
        const total = await count;
        if (mine === seq.current) setResults((r) => (r && r.key === query ? { ...r, total } : r));
      } catch (err) {
        if (mine !== seq.current) return;
        if (isUnauthorized(err)) reportError(err);
        setError(errorMessage(err));
        setResults(null);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    })();
  }, [client, query, search, run]);

  const loadMore = async () => {
    const filter = shownFilter.current;
    const oldest = results?.hits[results.hits.length - 1];
    if (!filter || !oldest) return;
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const { logs } = await client.request('logs.query', { ...filter, beforeId: oldest.id, limit: hitPage });
      if (mine !== seq.current) return;
      setResults((r) => (r ? { ...r, hits: [...r.hits, ...[...logs].reverse()], more: logs.length === hitPage } : r));
    } catch (err) {
      reportError(err, 'Reading more matches failed');
    } finally {
      setLoadingMore(false);
    }
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const next = searchToQuery(form);
    // The same search again runs again: new lines may match now.
    if (next === query) setRun((n) => n + 1);
    else navigate({ name: 'logs', query: next });
  };

  return (
    <>
      <SearchForm form={form} setForm={setForm} onSubmit={submit} busy={loading} />
      {error ? (
        <EmptyState title="The search could not run" tone="error" testId="logs-search-error">
          <p className="mono">{error}</p>
        </EmptyState>
      ) : !results ? (
        <EmptyState title="Searching…" testId="logs-searching">
          <span className="spinner" aria-hidden="true" />
        </EmptyState>
      ) : (
        <SearchResults
          results={results}
          search={search}
          loading={loading}
          loadingMore={loadingMore}
          onMore={() => void loadMore()}
          filter={() => shownFilter.current}
        />
      )}
    </>
  );
}

interface SearchFormProps {
  form: LogSearch;
  setForm: Dispatch<SetStateAction<LogSearch>>;
  onSubmit: (e?: FormEvent) => void;
  busy: boolean;
}

function SearchForm({ form, setForm, onSubmit, busy }: SearchFormProps) {
  const templates = useTemplates((s) => s.templates);
  const attachments = useAttachments((s) => s.attachments);
  const services = useMemo(
    () => [...new Set([...templates.map((t) => t.name), ...attachments.map((a) => a.serviceName), ...form.services])].sort((a, b) => a.localeCompare(b)),
    [templates, attachments, form.services],
  );
  const source = form.source ? parseSourceKey(form.source) : null;
  const set = (patch: Partial<LogSearch>) => setForm({ ...form, ...patch });

  return (
    <form className="card form search-form" role="search" onSubmit={onSubmit} data-testid="logs-search-form">
      <div className="search-row">
        <input
          className="input search-input mono"
          type="search"
          value={form.text}
          placeholder={form.regex ? 'Regular expression, e.g. (?i)timeout after \\d+ms' : 'Words to find, "a phrase", error OR warn, conn*'}
          aria-label="Search text"
          spellCheck={false}
          autoFocus
          data-testid="logs-search-text"
          onChange={(e) => set({ text: e.target.value })}
        />
        <label className="check" title="Match a regular expression instead of words (needs a service, a source or a time range)">
          <input type="checkbox" checked={form.regex} onChange={(e) => set({ regex: e.target.checked })} data-testid="logs-search-regex" />
          Regex
        </label>
        <button type="submit" className="button button-primary" disabled={busy} data-testid="logs-search-submit">
          {busy ? (
            <>
              <span className="spinner" aria-hidden="true" /> Searching…
            </>
          ) : (
            'Search'
          )}
        </button>
      </div>
      <div className="search-row search-filters">
        <LevelFilter
          testId="logs-search-level"
          value={form.levels.length === 0 ? logLevels : form.levels}
          onToggle={(level, only) =>
            setForm((current) => {
              const levels = toggleLevel(current.levels.length === 0 ? logLevels : current.levels, level, only);
              return { ...current, levels: levels.length === logLevels.length ? [] : levels };
            })
          }
        />
        <label className="field field-inline">
          <span className="field-label">Service</span>
          <select
            className="input"
            value={form.services[0] ?? ''}
            onChange={(e) => set({ services: e.target.value ? [e.target.value] : [] })}
            data-testid="logs-search-service"
          >
            <option value="">Any service</option>
            {services.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-inline">
          <span className="field-label">Time</span>
          <select
            className="input"
            value={form.range.preset}
            onChange={(e) => set({ range: { ...form.range, preset: e.target.value as TimePreset } })}
            data-testid="logs-search-range"
          >
            {timePresets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {form.range.preset === 'custom' && (
          <>
            <label className="field field-inline">
              <span className="field-label">From</span>
              <input
                className="input time-input"
                value={form.range.from}
                placeholder="2h ago, 2026-11-23 10:00"
                onChange={(e) => set({ range: { ...form.range, from: e.target.value } })}
                data-testid="logs-search-from"
              />
            </label>
            <label className="field field-inline">
              <span className="field-label">To</span>
              <input
                className="input time-input"
                value={form.range.to}
                placeholder="now"
                onChange={(e) => set({ range: { ...form.range, to: e.target.value } })}
                data-testid="logs-search-to"
              />
            </label>
          </>
        )}
        {source && (
          <span className="chip" data-testid="logs-search-source">
            Only {source.kind === 'job' ? `job #${source.id}` : `container ${source.id.slice(0, 12)}`}
            <button type="button" className="chip-remove" aria-label="Search every source" onClick={() => set({ source: null })}>
              ×
            </button>
          </span>
        )}
        {JSON.stringify(form) !== JSON.stringify(emptySearch) && (
          <button type="button" className="button button-small button-ghost" onClick={() => setForm(emptySearch)} data-testid="logs-search-reset">
            Clear
          </button>
        )}
      </div>
    </form>
  );
}

interface SearchResultsProps {
  results: Results;
  search: LogSearch;
  loading: boolean;
  loadingMore: boolean;
  onMore: () => void;
  filter: () => LogFilterInput | null;
}

function SearchResults({ results, search, loading, loadingMore, onMore, filter }: SearchResultsProps) {
  const marker = useMemo(() => {
    const text = search.text.trim();
    if (!text) return (_: string): Span[] => [];
    if (search.regex) return (message: string) => regexSpans(message, text);
    const terms = queryTerms(text);
    return (message: string) => termSpans(message, terms);
  }, [search.text, search.regex]);

  if (results.hits.length === 0) {
    return (
      <EmptyState title="No stored line matches" testId="logs-no-results">
        <p>
          Try fewer words, a prefix (<code>conn*</code>), another level or a longer time range. Lines become searchable about a second
          after they are stored.
        </p>
      </EmptyState>
    );
  }
  const shown = results.hits.length;
  return (
    <section className={`search-results ${loading ? 'is-stale' : ''}`} data-testid="logs-results" aria-busy={loading}>
      <div className="results-head">
        <span data-testid="logs-results-summary">
          {results.total !== null
            ? `${results.total.toLocaleString()} ${results.total === 1 ? 'match' : 'matches'}${results.total > shown ? `, newest ${shown.toLocaleString()} shown` : ''}`
            : `${shown.toLocaleString()}${results.more ? '+' : ''} ${shown === 1 ? 'match' : 'matches'}`}
        </span>
        <DownloadMenu testId="logs-download" filter={filter} />
      </div>
      <ol className="hits" data-testid="logs-hits">
        {results.hits.map((hit) => (
          <Hit key={hit.id} hit={hit} marker={marker} />
        ))}
      </ol>
      {results.more && (
        <div className="results-more">
          <button type="button" className="button" disabled={loadingMore} onClick={onMore} data-testid="logs-load-more">
            {loadingMore ? 'Loading…' : 'Older matches'}
          </button>
        </div>
      )}
    </section>
  );
}

/** Context reads for the hits on screen, a few at a time. */
const contextLimiter = createLimiter(4);

function hitHref(hit: LogEntry): string | null {
  if (hit.jobId !== null) return routeHref({ name: 'job', id: hit.jobId, line: hit.id });
  if (hit.containerId) return routeHref({ name: 'container', id: hit.containerId, line: hit.id });
  return null;
}

function hitSourceName(hit: LogEntry): string {
  if (hit.jobId !== null) return `#${hit.jobId} ${hit.serviceName ?? ''}`.trim();
  return hit.serviceName ?? hit.source.name;
}

function Hit({ hit, marker }: { hit: LogEntry; marker: (message: string) => Span[] }) {
  const client = useClient();
  const ref = useRef<HTMLLIElement>(null);
  const [context, setContext] = useState<{ before: LogEntry[]; after: LogEntry[] } | null>(null);
  const href = hitHref(hit);

  // Read the lines around a hit once it scrolls into view.
  useEffect(() => {
    const el = ref.current;
    const filter = hit.jobId !== null ? { jobId: hit.jobId } : hit.containerId ? { containerId: hit.containerId } : null;
    if (!el || !filter) return;
    let gone = false;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      void contextLimiter(
        () =>
          Promise.all([
            client.request('logs.query', { ...filter, beforeId: hit.id, limit: contextLines }),
            client.request('logs.query', { ...filter, afterId: hit.id, limit: contextLines }),
          ]),
        () => gone,
      ).then(
        (answer) => {
          if (answer && !gone) setContext({ before: answer[0].logs, after: answer[1].logs });
        },
        () => {
          // Context is a nicety: the hit itself is shown either way.
        },
      );
    });
    observer.observe(el);
    return () => {
      gone = true;
      observer.disconnect();
    };
  }, [client, hit]);

  const open = () => {
    if (href) window.location.hash = href;
  };

  return (
    <li
      ref={ref}
      className="hit"
      data-testid="logs-hit"
      data-log-id={hit.id}
      data-level={hit.level}
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('a') && !window.getSelection()?.toString()) open();
      }}
    >
      <div className="hit-meta">
        <time className="mono muted" dateTime={new Date(hit.timestamp).toISOString()}>
          {formatLineTime(hit.timestamp)}
        </time>
        <span className="hit-source" title={hit.containerId ?? undefined}>
          {hit.jobId !== null ? 'Job ' : ''}
          {hitSourceName(hit)}
        </span>
        <span className="level-badge" data-level={hit.level}>
          {hit.level}
        </span>
        {href && (
          <a className="hit-open" href={href} data-testid="logs-hit-open">
            Open at this line →
          </a>
        )}
      </div>
      <div className="hit-lines mono">
        {context?.before.map((line) => <ContextLine key={line.id} line={line} />)}
        <div className="hit-line" data-level={hit.level}>
          <Marked text={hit.message} spans={marker(sanitizeForDisplay(hit.message))} />
        </div>
        {context?.after.map((line) => <ContextLine key={line.id} line={line} />)}
      </div>
    </li>
  );
}

function ContextLine({ line }: { line: LogEntry }) {
  return (
    <div className="context-line" data-level={line.level}>
      {clip(sanitizeForDisplay(line.message))}
    </div>
  );
}

/** Messages keep their colour codes in the store; on a page they are noise. */
const sanitizeForDisplay = (message: string) => sanitizeMessage(message).replace(/\x1b\[[0-9;:]*m/g, '');

const clip = (text: string, max = 2000) => (text.length > max ? `${text.slice(0, max)}…` : text);

function Marked({ text, spans }: { text: string; spans: Span[] }): ReactNode {
  const clean = clip(sanitizeForDisplay(text));
  const parts = splitBySpans(clean, spans.filter(([start]) => start < clean.length));
  return parts.map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>));
}
