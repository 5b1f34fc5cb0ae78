/**
 * The jobs table's state: its query, the pages loaded so far (a window onto the server's list,
 * see job-list.ts), and the rows selected for bulk actions.
 *
 * Loads are numbered so an answer to an older query never lands over a newer one. Events that
 * arrive while the first page is in flight are kept and merged again once it lands, since the
 * answer may have been read before them.
 */
import { create } from 'zustand';
import type { Job } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { errorMessage } from '../client/client-error';
import {
  appendPage,
  applyJobUpdate,
  createdSince,
  defaultJobQuery,
  emptyWindow,
  listInput,
  removeJobs,
  type JobQuery,
  type JobWindow,
} from './job-list';
import { reportError } from './report-error';
import { clickRow, keepShown, noSelection, toggleAll, type RowSelection } from './row-selection';

/** Rows per request: a screen is ~25 rows, so a page lasts several screens of scrolling. */
export const jobsPageSize = 200;

interface JobsTableState {
  query: JobQuery;
  /** The creation bound the loaded rows were read with (a preset is relative to load time). */
  since: number | null;
  window: JobWindow;
  /** The first page of the current query arrived. */
  loaded: boolean;
  loading: boolean;
  /** Why the first page failed, cleared by the next success. */
  error: string | null;
  loadingMore: boolean;
  moreError: string | null;
  selection: RowSelection;
}

export const useJobsTable = create<JobsTableState>()(() => ({
  query: defaultJobQuery,
  since: null,
  window: emptyWindow,
  loaded: false,
  loading: false,
  error: null,
  loadingMore: false,
  moreError: null,
  selection: noSelection,
}));

let loadSeq = 0;
/** Events received while the first page is in flight. */
let heldEvents: Job[] = [];

const shownIds = (window: JobWindow) => window.rows.map((j) => j.id);

/** Reads the first page of `query` (the current one by default), replacing the rows. */
export async function reloadJobs(client: AppClient, query: JobQuery = useJobsTable.getState().query): Promise<void> {
  const seq = ++loadSeq;
  heldEvents = [];
  const since = createdSince(query.created, Date.now());
  useJobsTable.setState({ query, loading: true });
  try {
    const page = await client.request('jobs.list', { ...listInput(query, since), limit: jobsPageSize });
    if (seq !== loadSeq) return;
    let window = appendPage(emptyWindow, page);
    for (const job of heldEvents) window = applyJobUpdate(window, job, query, since);
    heldEvents = [];
    useJobsTable.setState((s) => ({
      since,
      window,
      loaded: true,
      error: null,
      moreError: null,
      selection: keepShown(s.selection, shownIds(window)),
    }));
  } catch (err) {
    if (seq !== loadSeq) return;
    useJobsTable.setState({ error: errorMessage(err) });
    reportError(err, 'Loading jobs failed');
  } finally {
    if (seq === loadSeq) useJobsTable.setState({ loading: false });
  }
}

/** Changes the filters or the sort and reads the list again. */
export function setJobQuery(client: AppClient, patch: Partial<JobQuery>): Promise<void> {
  return reloadJobs(client, { ...useJobsTable.getState().query, ...patch });
}

/** Reads the page after the last loaded row, if there is one and no read is under way. */
export async function loadMoreJobs(client: AppClient): Promise<void> {
  const { window, query, since, loadingMore, loading } = useJobsTable.getState();
  if (window.nextCursor === null || loadingMore || loading) return;
  const seq = loadSeq;
  useJobsTable.setState({ loadingMore: true, moreError: null });
  try {
    const page = await client.request('jobs.list', { ...listInput(query, since), cursor: window.nextCursor, limit: jobsPageSize });
    if (seq === loadSeq) useJobsTable.setState((s) => ({ window: appendPage(s.window, page) }));
  } catch (err) {
    if (seq === loadSeq) useJobsTable.setState({ moreError: errorMessage(err) });
    reportError(err, 'Loading more jobs failed');
  } finally {
    useJobsTable.setState({ loadingMore: false });
  }
}

/** Merges a job from an event or an answer. */
export function applyJob(job: Job): void {
  if (useJobsTable.getState().loading) heldEvents.push(job);
  useJobsTable.setState((s) => {
    const window = applyJobUpdate(s.window, job, s.query, s.since);
    return window === s.window ? s : { window };
  });
}

export function forgetJobs(ids: readonly number[]): void {
  useJobsTable.setState((s) => {
    const window = removeJobs(s.window, ids);
    return window === s.window ? s : { window, selection: keepShown(s.selection, shownIds(window)) };
  });
}

export function clickJobRow(id: number, shift: boolean): void {
  useJobsTable.setState((s) => ({ selection: clickRow(s.selection, shownIds(s.window), id, shift) }));
}

export function toggleAllLoaded(): void {
  useJobsTable.setState((s) => ({ selection: toggleAll(s.selection, shownIds(s.window)) }));
}

export function clearSelection(): void {
  useJobsTable.setState({ selection: noSelection });
}
