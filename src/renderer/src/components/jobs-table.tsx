/**
 * The jobs table: only the rows in view are in the DOM (TanStack Virtual), so it scrolls as
 * smoothly through 100,000 jobs as through ten. Rows come a page at a time from the server as the
 * end comes into view; the sort is the server's, chosen by clicking a column header.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { finishedStatuses } from '../../../shared/job-status';
import type { Job } from '../../../shared/model';
import { useClient } from '../client/client-context';
import { formatDuration, formatTimestamp, fullTimestamp } from '../lib/format';
import { runMs, waitMs } from '../lib/job-times';
import { useNow } from '../lib/use-now';
import { navigate } from '../routing/use-route';
import type { JobSort } from '../state/job-list';
import { useHosts } from '../state/hosts-store';
import { clickJobRow, loadMoreJobs, setJobQuery, toggleAllLoaded, useJobsTable } from '../state/jobs-table-store';
import { useTemplates } from '../state/templates-store';
import { StatusPill } from './status-pill';

/** Matches `.jobs-table .job-row` in app.css: every row has this height, so none is measured. */
const rowHeight = 41;
/** Ask for the next page while this many loaded rows are still below the view. */
const prefetchRows = 40;
const columnCount = 12;

export function JobsTable() {
  const client = useClient();
  const rows = useJobsTable((s) => s.window.rows);
  const more = useJobsTable((s) => s.window.nextCursor !== null);
  const loadingMore = useJobsTable((s) => s.loadingMore);
  const moreError = useJobsTable((s) => s.moreError);
  const stale = useJobsTable((s) => s.loading && s.loaded);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length + (more ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    getItemKey: (index) => rows[index]?.id ?? 'more',
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (more && !loadingMore && !moreError && lastShown >= rows.length - prefetchRows) void loadMoreJobs(client);
  }, [client, more, loadingMore, moreError, lastShown, rows.length]);

  // One clock for the rows in view, ticking only while one of them waits or runs.
  const now = useNow(items.some((item) => rows[item.index] && !finishedStatuses.has(rows[item.index]!.status)));
  const templates = useTemplates((s) => s.templates);
  const hosts = useHosts((s) => s.hosts);
  const maxAttempts = useMemo(() => new Map(templates.map((t) => [t.id, t.retry?.attempts ?? 1])), [templates]);
  const hostNames = useMemo(() => new Map(hosts.map((h) => [h.id, h.name])), [hosts]);

  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  return (
    <div className={stale ? 'card table-card jobs-scroll is-stale' : 'card table-card jobs-scroll'} ref={scrollRef} data-testid="jobs-scroll">
      <table className="table jobs-table" data-testid="jobs-table">
        <colgroup>
          <col className="w-select" />
          <col className="w-id" />
          <col className="w-template" />
          <col className="w-status" />
          <col className="w-trigger" />
          <col className="w-attempt" />
          <col className="w-host" />
          <col className="w-time" />
          <col className="w-time" />
          <col className="w-duration" />
          <col className="w-duration" />
          <col className="w-exit" />
        </colgroup>
        <thead>
          <tr>
            <th className="col-select">
              <SelectAll />
            </th>
            <th className="col-id">ID</th>
            <th>Template</th>
            <th>Status</th>
            <th>Trigger</th>
            <th>Attempt</th>
            <th>Host</th>
            <SortHeader sort="created" label="Created" />
            <SortHeader sort="started" label="Started" />
            <th className="col-num">Wait</th>
            <SortHeader sort="duration" label="Run time" numeric />
            <th className="col-num">Exit</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <Spacer height={padTop} />}
          {items.map((item) => {
            const job = rows[item.index];
            if (!job) return <MoreRow key="more" loading={loadingMore} error={moreError} />;
            return (
              <JobRow
                key={job.id}
                job={job}
                now={now}
                maxAttempts={maxAttempts.get(job.templateId)}
                hostName={job.hostId === null ? null : (hostNames.get(job.hostId) ?? `#${job.hostId}`)}
              />
            );
          })}
          {padBottom > 0 && <Spacer height={padBottom} />}
        </tbody>
      </table>
    </div>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tr className="spacer-row" aria-hidden="true" style={{ height }}>
      <td colSpan={columnCount} />
    </tr>
  );
}

function SelectAll() {
  const ids = useJobsTable((s) => s.window.rows);
  const selected = useJobsTable((s) => s.selection.selected);
  const all = ids.length > 0 && selected.size >= ids.length && ids.every((j) => selected.has(j.id));
  const some = !all && selected.size > 0;
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  }, [some]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="row-check"
      aria-label="Select all loaded jobs"
      data-testid="jobs-select-all"
      checked={all}
      disabled={ids.length === 0}
      onChange={toggleAllLoaded}
    />
  );
}

function SortHeader({ sort, label, numeric }: { sort: JobSort; label: string; numeric?: boolean }) {
  const client = useClient();
  const query = useJobsTable((s) => s.query);
  const active = query.sort === sort;
  const next = active && query.order === 'desc' ? 'asc' : 'desc';
  return (
    <th className={numeric ? 'col-num' : undefined} aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className="sort-button"
        data-testid={`jobs-sort-${sort}`}
        data-active={active}
        title={`Sort by ${label.toLowerCase()}, ${next === 'asc' ? 'smallest' : 'largest'} first`}
        onClick={() => void setJobQuery(client, { sort, order: next })}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (query.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** "2/3" when the template retries, "#2" otherwise; a retry names the job it retries. */
export function attemptLabel(job: Pick<Job, 'attempt' | 'retryOf'>, maxAttempts: number | undefined): string {
  const n = maxAttempts !== undefined && maxAttempts > 1 ? `${job.attempt}/${maxAttempts}` : `#${job.attempt}`;
  return job.retryOf === null ? n : `${n} retry of #${job.retryOf}`;
}

interface JobRowProps {
  job: Job;
  now: number;
  maxAttempts: number | undefined;
  hostName: string | null;
}

function JobRow({ job, now, maxAttempts, hostName }: JobRowProps) {
  const selected = useJobsTable((s) => s.selection.selected.has(job.id));
  const open = () => navigate({ name: 'job', id: job.id });
  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter') open();
    else if (e.key === ' ') clickJobRow(job.id, e.shiftKey);
    else return;
    e.preventDefault();
  };
  // The checkbox cell selects; the rest of the row opens the job.
  const select = (e: MouseEvent) => {
    e.stopPropagation();
    clickJobRow(job.id, e.shiftKey);
  };
  const finished = job.finishedAt !== null;
  const ran = runMs(job, now);
  return (
    <tr
      className="row-link job-row"
      data-job-id={job.id}
      data-testid="job-row"
      aria-selected={selected}
      tabIndex={0}
      onClick={open}
      onKeyDown={onKey}
    >
      <td className="col-select" onClick={select}>
        <input
          type="checkbox"
          className="row-check"
          aria-label={`Select job #${job.id}`}
          data-testid="job-select"
          checked={selected}
          onClick={select}
          onChange={() => {}}
        />
      </td>
      <td className="col-id mono">#{job.id}</td>
      <td className="cell-strong cell-clip" title={job.templateName}>
        {job.templateName}
      </td>
      <td>
        <StatusPill status={job.status} />
      </td>
      <td className="cell-trigger" data-testid="job-trigger">
        {job.trigger}
      </td>
      <td className="cell-clip" data-testid="job-attempt">
        {attemptLabel(job, maxAttempts)}
      </td>
      <td className="cell-clip" data-testid="job-host">
        {hostName ?? <span className="muted">—</span>}
      </td>
      <td title={fullTimestamp(job.createdAt)} data-testid="job-created">
        {formatTimestamp(job.createdAt, now)}
      </td>
      <td title={fullTimestamp(job.startedAt)}>{formatTimestamp(job.startedAt, now)}</td>
      <td className="col-num mono" data-testid="job-wait">
        {formatDuration(waitMs(job, now), job.status !== 'pending')}
      </td>
      <td className="col-num mono" data-testid="job-duration">
        {ran === null ? '—' : formatDuration(ran, finished)}
      </td>
      <td className="col-num mono" data-testid="job-exit-code">
        {job.exitCode ?? '—'}
      </td>
    </tr>
  );
}

function MoreRow({ loading, error }: { loading: boolean; error: string | null }) {
  const client = useClient();
  return (
    <tr className="more-row" data-testid="jobs-more">
      <td colSpan={columnCount}>
        {error ? (
          <span className="more-error">
            Could not load more jobs: {error}{' '}
            <button type="button" className="button button-small" onClick={() => void loadMoreJobs(client)}>
              Try again
            </button>
          </span>
        ) : (
          <span className="muted">{loading ? 'Loading more jobs…' : 'More jobs below'}</span>
        )}
      </td>
    </tr>
  );
}
