import { useEffect } from 'react';
import { useClient } from '../client/client-context';
import { EmptyState } from '../components/empty-state';
import { BulkBar } from '../components/jobs/bulk-bar';
import { JobsFilters } from '../components/jobs/jobs-filters';
import { JobsTable } from '../components/jobs-table';
import { RunJobForm } from '../components/run-job-form';
import { defaultJobQuery, isFiltered } from '../state/job-list';
import { applyJob, forgetJobs, reloadJobs, setJobQuery, useJobsTable } from '../state/jobs-table-store';

export function JobsPage() {
  const client = useClient();
  useJobsTableSync();
  const rows = useJobsTable((s) => s.window.rows.length);
  const count = useJobsTable((s) => s.window.count);
  const unseen = useJobsTable((s) => s.window.unseen.length);
  const query = useJobsTable((s) => s.query);
  const loaded = useJobsTable((s) => s.loaded);
  const loading = useJobsTable((s) => s.loading);
  const error = useJobsTable((s) => s.error);

  let body;
  if (rows > 0) body = <JobsTable />;
  else if (error)
    body = (
      <EmptyState title="Could not load jobs" tone="error" testId="jobs-error">
        <p>{error}</p>
        <button type="button" className="button" data-testid="jobs-retry" disabled={loading} onClick={() => void reloadJobs(client)}>
          {loading ? 'Retrying…' : 'Retry'}
        </button>
      </EmptyState>
    );
  else if (!loaded) body = <EmptyState title="Loading jobs…" testId="jobs-loading" />;
  else if (isFiltered(query))
    body = (
      <EmptyState title="No jobs match these filters" testId="jobs-no-match">
        <button type="button" className="button" onClick={() => void setJobQuery(client, { ...defaultJobQuery, sort: query.sort, order: query.order })}>
          Clear filters
        </button>
      </EmptyState>
    );
  else body = <EmptyState title="No jobs yet — run one from a template" testId="jobs-empty" />;

  return (
    <div className="page page-jobs" data-testid="jobs-page">
      <div className="page-head">
        <h1 className="page-title">Jobs</h1>
        {loaded && (
          <span className="muted jobs-count" data-testid="jobs-count" data-count={count}>
            {rows < count ? `${rows.toLocaleString()} of ${count.toLocaleString()} loaded` : `${count.toLocaleString()} ${count === 1 ? 'job' : 'jobs'}`}
          </span>
        )}
        {unseen > 0 && (
          <button type="button" className="button button-small jobs-new-hint" data-testid="jobs-new-hint" onClick={() => void reloadJobs(client)}>
            {unseen.toLocaleString()} new {unseen === 1 ? 'job' : 'jobs'} — refresh
          </button>
        )}
      </div>
      <RunJobForm />
      <JobsFilters />
      <BulkBar />
      {body}
    </div>
  );
}

/**
 * While the page is open, the table follows events; it reads its first page on opening and
 * again whenever the live link comes back (events may have been missed meanwhile).
 */
function useJobsTableSync() {
  const client = useClient();
  useEffect(() => {
    void reloadJobs(client);
    const offs = [
      client.on('job.updated', applyJob),
      client.on('job.deleted', ({ ids }) => forgetJobs(ids)),
      client.onConnection((state) => {
        if (state === 'open') void reloadJobs(client);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);
}
