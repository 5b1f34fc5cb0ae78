/**
 * The jobs list as pure functions: which copy of a job to keep, and the table's window onto the
 * server's paged list — the filters as a request, whether a job pushed by an event belongs in the
 * rows loaded so far, where it goes, and what the "N new jobs" hint counts.
 *
 * The server sorts and pages (jobs.list with a cursor); the window holds the pages loaded so far.
 * Live changes are merged without refetching: a row already loaded is updated in place (it stays
 * even if it no longer matches, so rows do not vanish under the pointer); a new matching job is
 * placed at its row when the list is newest first, else counted for the hint.
 */
import type { RequestInput } from '../../../shared/contract';
import type { Job, JobStatus, JobTrigger } from '../../../shared/model';

/** Jobs only move forward: pending → running → a finished status. */
const rank: Record<JobStatus, number> = { pending: 0, running: 1, completed: 2, failed: 2, timed_out: 2, cancelled: 2 };

/**
 * Which of two copies of a job to keep. A list answer can be older than an event that arrived
 * while it was in flight, so a copy never replaces one that is further along.
 */
export function newerJob(current: Job | undefined, incoming: Job): Job {
  if (!current) return incoming;
  return rank[incoming.status] >= rank[current.status] ? incoming : current;
}

const newestFirst = (a: Job, b: Job) => b.createdAt - a.createdAt || b.id - a.id;

/** Inserts or updates one job, keeping newest first. Returns the same array when nothing changed. */
export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index < 0) return [...jobs, job].sort(newestFirst);
  const kept = newerJob(jobs[index], job);
  if (kept === jobs[index]) return jobs as Job[];
  const next = jobs.slice();
  next[index] = kept;
  return next;
}

/** Merges a fetched list into what we know (a union; deletions come as their own event). */
export function mergeJobs(jobs: readonly Job[], fetched: readonly Job[]): Job[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const job of fetched) byId.set(job.id, newerJob(byId.get(job.id), job));
  return [...byId.values()].sort(newestFirst);
}

export type JobSort = 'created' | 'started' | 'duration';
export type SortOrder = 'asc' | 'desc';

/** "Created within", as the filter bar offers it. */
export const createdPresets = {
  any: { label: 'Any time', ms: null },
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;
export type CreatedPreset = keyof typeof createdPresets;

/** What the table shows: the filters and the sort, as the person set them. */
export interface JobQuery {
  /** Any of these; empty: every status. */
  statuses: JobStatus[];
  templateId: number | null;
  hostId: number | null;
  trigger: JobTrigger | null;
  created: CreatedPreset;
  /** A job id or part of a template name; blank: none. */
  q: string;
  sort: JobSort;
  order: SortOrder;
}

export const defaultJobQuery: JobQuery = {
  statuses: [],
  templateId: null,
  hostId: null,
  trigger: null,
  created: 'any',
  q: '',
  sort: 'created',
  order: 'desc',
};

/** True when any filter narrows the list (the sort is not a filter). */
export function isFiltered(query: JobQuery): boolean {
  return (
    query.statuses.length > 0 ||
    query.templateId !== null ||
    query.hostId !== null ||
    query.trigger !== null ||
    query.created !== 'any' ||
    query.q.trim() !== ''
  );
}

/** The lower bound on creation time a preset means at `now`; null for any time. */
export function createdSince(preset: CreatedPreset, now: number): number | null {
  const ms = createdPresets[preset].ms;
  return ms === null ? null : now - ms;
}

/** The jobs.list input for a query (without cursor and limit). `since` is fixed when a load starts. */
export function listInput(query: JobQuery, since: number | null): RequestInput<'jobs.list'> {
  const input: RequestInput<'jobs.list'> = { sort: query.sort, order: query.order };
  if (query.statuses.length > 0) input.status = query.statuses;
  if (query.templateId !== null) input.templateId = query.templateId;
  if (query.hostId !== null) input.hostId = query.hostId;
  if (query.trigger !== null) input.trigger = query.trigger;
  if (since !== null) input.createdSince = since;
  const q = query.q.trim();
  if (q) input.q = q;
  return input;
}

/** Whether a job passes the filters, read the way the server reads them (see job-repository.ts). */
export function matchesQuery(job: Job, query: JobQuery, since: number | null): boolean {
  if (query.statuses.length > 0 && !query.statuses.includes(job.status)) return false;
  if (query.templateId !== null && job.templateId !== query.templateId) return false;
  if (query.hostId !== null && job.hostId !== query.hostId) return false;
  if (query.trigger !== null && job.trigger !== query.trigger) return false;
  if (since !== null && job.createdAt < since) return false;
  const q = query.q.trim();
  if (q) {
    const asId = /^#?\d+$/.test(q) ? Number(q.replace('#', '')) : null;
    if (job.id !== asId && !job.templateName.toLowerCase().includes(q.toLowerCase())) return false;
  }
  return true;
}

/** A job's sort key as the server computes it: unset times sort as the smallest. */
export function sortValue(job: Job, sort: JobSort): number {
  if (sort === 'created') return job.id;
  if (sort === 'started') return job.startedAt ?? 0;
  return job.startedAt !== null && job.finishedAt !== null ? job.finishedAt - job.startedAt : -1;
}

export function compareJobs(sort: JobSort, order: SortOrder): (a: Job, b: Job) => number {
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => sign * (sortValue(a, sort) - sortValue(b, sort) || a.id - b.id);
}

/** The pages of the list loaded so far. */
export interface JobWindow {
  rows: Job[];
  /** Jobs matching the filters on the server, kept up to date by live changes where known. */
  count: number;
  /** Where the next page starts; null when every page is loaded. */
  nextCursor: string | null;
  /** Matching jobs that arrived live and are not in the rows: what "N new jobs — refresh" counts. */
  unseen: number[];
}

export const emptyWindow: JobWindow = { rows: [], count: 0, nextCursor: null, unseen: [] };

/** Adds a page; a job already in the rows (placed live meanwhile) keeps its place. */
export function appendPage(window: JobWindow, page: { jobs: readonly Job[]; count: number; nextCursor: string | null }): JobWindow {
  const index = new Map(window.rows.map((j, i) => [j.id, i]));
  const rows = window.rows.slice();
  for (const job of page.jobs) {
    const at = index.get(job.id);
    if (at === undefined) rows.push(job);
    else rows[at] = newerJob(rows[at], job);
  }
  return { rows, count: page.count, nextCursor: page.nextCursor, unseen: window.unseen };
}

/** Merges one job pushed by an event. Returns the same window when nothing changed. */
export function applyJobUpdate(window: JobWindow, job: Job, query: JobQuery, since: number | null): JobWindow {
  const at = window.rows.findIndex((j) => j.id === job.id);
  if (at >= 0) {
    const kept = newerJob(window.rows[at], job);
    if (kept === window.rows[at]) return window;
    const rows = window.rows.slice();
    rows[at] = kept;
    return { ...window, rows };
  }
  if (!matchesQuery(job, query, since) || window.unseen.includes(job.id)) return window;
  const compare = compareJobs(query.sort, query.order);
  const last = window.rows[window.rows.length - 1];
  // Past the last loaded row, with pages still to load: the next page brings it.
  if (last && window.nextCursor !== null && compare(job, last) > 0) return window;
  if (query.sort === 'created' && query.order === 'desc') {
    const position = window.rows.findIndex((j) => compare(job, j) < 0);
    const rows = window.rows.slice();
    rows.splice(position < 0 ? rows.length : position, 0, job);
    return { ...window, rows, count: window.count + 1 };
  }
  return { ...window, unseen: [...window.unseen, job.id] };
}

/** Drops deleted jobs from the rows, the count and the hint. */
export function removeJobs(window: JobWindow, ids: readonly number[]): JobWindow {
  const gone = new Set(ids);
  const rows = window.rows.filter((j) => !gone.has(j.id));
  const unseen = window.unseen.filter((id) => !gone.has(id));
  if (rows.length === window.rows.length && unseen.length === window.unseen.length) return window;
  // Unseen jobs were never counted; a deleted job outside the loaded pages is fixed by the next load.
  return { ...window, rows, unseen, count: Math.max(0, window.count - (window.rows.length - rows.length)) };
}
