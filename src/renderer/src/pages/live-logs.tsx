import '@xterm/xterm/css/xterm.css';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { finishedStatuses } from '../../../shared/job-status';
import { useClient } from '../client/client-context';
import { EmptyState } from '../components/empty-state';
import { readPreferences, savePreferences } from '../lib/preferences';
import { MergedView, type MergedSource, type MergedViewState } from '../log/merged-view';
import { assignColours, paletteCss } from '../log/source-colours';
import { parseSourceKey, sourceKey, type SourceRef } from '../log/source-ref';
import { navigate } from '../routing/use-route';
import { useAttachments } from '../state/attachments-store';
import { useJobs } from '../state/jobs-store';
import { reportError } from '../state/report-error';
import type { LogPaneElement } from '../components/log-pane';

/** Finished jobs offered besides running ones. */
const recentJobs = 12;

interface Candidate {
  key: string;
  ref: SourceRef;
  name: string;
  detail: string;
  live: boolean;
}

/** The merged live output of several jobs and attached containers, each in its own colour. */
export function LiveLogs({ sources }: { sources: string[] }) {
  const jobs = useJobs((s) => s.jobs);
  const attachments = useAttachments((s) => s.attachments);
  const selected = useMemo(() => [...new Set(sources)].filter((key) => parseSourceKey(key)), [sources]);

  const candidates = useMemo(() => {
    const running = jobs.filter((j) => !finishedStatuses.has(j.status));
    const finished = jobs.filter((j) => finishedStatuses.has(j.status)).slice(0, recentJobs);
    const fromJobs = [...running, ...finished].map((j): Candidate => ({
      key: `job:${j.id}`,
      ref: { kind: 'job', id: j.id } as const,
      name: `#${j.id} ${j.templateName}`,
      detail: j.status,
      live: !finishedStatuses.has(j.status),
    }));
    const fromContainers = attachments.map((a): Candidate => ({
      key: `container:${a.containerId}`,
      ref: { kind: 'container', id: a.containerId } as const,
      name: a.serviceName,
      detail: a.state,
      live: a.state === 'following',
    }));
    const all = [...fromJobs, ...fromContainers];
    // A source in the URL that is no longer listed (an old job) stays selectable.
    for (const key of selected) {
      if (!all.some((c) => c.key === key)) {
        const ref = parseSourceKey(key)!;
        all.push({ key, ref, name: ref.kind === 'job' ? `#${ref.id}` : ref.id.slice(0, 12), detail: '', live: false });
      }
    }
    return all;
  }, [jobs, attachments, selected]);

  const colourMemory = useRef(new Map<string, number>());
  const colours = useMemo(() => {
    const next = assignColours(selected, colourMemory.current);
    colourMemory.current = next;
    return next;
  }, [selected]);

  const toggle = (key: string) => {
    const next = selected.includes(key) ? selected.filter((k) => k !== key) : [...selected, key];
    navigate({ name: 'live', sources: next });
  };

  const chosen: MergedSource[] = selected.map((key) => {
    const candidate = candidates.find((c) => c.key === key)!;
    return { ref: candidate.ref, name: candidate.name, colour: colours.get(key)! };
  });

  return (
    <div className="live-logs">
      <div className="card source-picker" data-testid="live-sources">
        <span className="field-label">Sources</span>
        {candidates.length === 0 && <span className="muted">No jobs or attached containers yet.</span>}
        {candidates.map((c) => {
          const on = selected.includes(c.key);
          const colour = colours.get(c.key);
          return (
            <button
              key={c.key}
              type="button"
              className="source-chip"
              aria-pressed={on}
              data-testid="live-source"
              data-source={c.key}
              title={c.detail}
              onClick={() => toggle(c.key)}
            >
              <span className="source-swatch" style={{ background: on && colour !== undefined ? paletteCss(colour) : undefined }} aria-hidden="true" />
              {c.name}
              {c.live && <span className="source-live" aria-label="live" />}
            </button>
          );
        })}
      </div>
      {chosen.length === 0 ? (
        <EmptyState title="Pick one or more sources" testId="live-empty">
          <p>Their output is shown together as it arrives, each behind its name in its own colour.</p>
        </EmptyState>
      ) : (
        <MergedPane sources={chosen} />
      )}
    </div>
  );
}

const noView = { subscribe: () => () => {}, getState: (): MergedViewState | null => null };

function MergedPane({ sources }: { sources: MergedSource[] }) {
  const client = useClient();
  const paneRef = useRef<LogPaneElement>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const [view, setView] = useState<MergedView | null>(null);
  const [timestamps, setTimestamps] = useState(() => readPreferences().timestamps);
  // Rebuilt when the set of sources, their names or colours change.
  const identity = sources.map((s) => `${sourceKey(s.ref)}=${s.name}=${s.colour}`).join('|');

  useEffect(() => {
    const pane = paneRef.current;
    const mount = mountRef.current;
    if (!pane || !mount) return;
    const created = new MergedView(mount, {
      client,
      sources,
      timestamps,
      onError: reportError,
      onCount: (lines) => {
        pane.dataset.lineCount = String(lines);
        if (countRef.current) countRef.current.textContent = `${lines.toLocaleString()} ${lines === 1 ? 'line' : 'lines'}`;
      },
    });
    setView(created);
    pane.readTerminalBuffer = () => created.readBuffer();
    const off = client.onConnection((state) => {
      if (state === 'open') created.catchUp();
    });
    return () => {
      off();
      delete pane.readTerminalBuffer;
      created.dispose();
      setView(null);
    };
    // `sources` is represented by `identity`.
  }, [client, identity, timestamps]);

  const store = view ?? noView;
  const state = useSyncExternalStore(store.subscribe, store.getState);

  return (
    <section className="log-pane-frame" data-testid="live-pane-frame">
      <div className="log-pane-toolbar">
        <div className="log-toolbar-group">
          {state?.paused ? (
            <span className="log-follow" data-testid="log-follow-state" data-state="paused">
              <span className="log-follow-dot" aria-hidden="true" />
              Paused
              <button type="button" className="button button-small log-resume" data-testid="log-resume" onClick={() => view?.resume()}>
                ▶ Follow{state.held > 0 && <span className="log-new-lines"> · {state.held.toLocaleString()} new</span>}
              </button>
              {state.dropped > 0 && <span className="muted">({state.dropped.toLocaleString()} not kept; they are in the store)</span>}
            </span>
          ) : (
            <span className="log-follow" data-testid="log-follow-state" data-state={state?.loading ? 'loading' : 'following'}>
              <span className="log-follow-dot" aria-hidden="true" />
              {state?.loading ? 'Loading' : 'Following live'}
              <button type="button" className="button button-small button-ghost log-tool" data-testid="log-pause" onClick={() => view?.pause()}>
                ❚❚ Pause
              </button>
            </span>
          )}
          <span className="log-count" ref={countRef} data-testid="log-line-count" />
        </div>
        <div className="legend" data-testid="live-legend">
          {sources.map((s) => (
            <span key={sourceKey(s.ref)} className="legend-item" data-source={sourceKey(s.ref)}>
              <span className="source-swatch" style={{ background: paletteCss(s.colour) }} aria-hidden="true" />
              {s.name}
            </span>
          ))}
        </div>
        <div className="log-toolbar-group log-toolbar-end">
          <button
            type="button"
            className="button button-small button-ghost log-tool log-toggle"
            aria-pressed={timestamps}
            data-testid="log-toggle-timestamps"
            onClick={() => {
              savePreferences({ timestamps: !timestamps });
              setTimestamps(!timestamps);
            }}
          >
            <span aria-hidden="true">◷</span> Timestamps
          </button>
          <button type="button" className="button button-small button-ghost log-tool" onClick={() => view?.clear()} data-testid="live-clear">
            Clear
          </button>
        </div>
      </div>
      <div className="log-pane" data-testid="live-pane" ref={paneRef}>
        <div className="log-pane-terminal" ref={mountRef} />
        {state?.loading && (
          <div className="log-pane-empty">
            <span className="spinner" aria-hidden="true" /> Loading…
          </div>
        )}
      </div>
    </section>
  );
}
