import { useClient } from '../client/client-context';
import { EmptyState } from '../components/empty-state';
import { JobsTable } from '../components/jobs-table';
import { RunJobForm } from '../components/run-job-form';
import { loadJobs, useJobs } from '../state/jobs-store';

export function JobsPage() {
  const client = useClient();
  const jobs = useJobs((s) => s.jobs);
  const loaded = useJobs((s) => s.loaded);
  const loading = useJobs((s) => s.loading);
  const error = useJobs((s) => s.error);

  let body;
  if (jobs.length > 0) body = <JobsTable jobs={jobs} />;
  else if (error)
    body = (
      <EmptyState title="Could not load jobs" tone="error" testId="jobs-error">
        <p>{error}</p>
        <button type="button" className="button" data-testid="jobs-retry" disabled={loading} onClick={() => void loadJobs(client)}>
          {loading ? 'Retrying…' : 'Retry'}
        </button>
      </EmptyState>
    );
  else if (!loaded) body = <EmptyState title="Loading jobs…" testId="jobs-loading" />;
  else body = <EmptyState title="No jobs yet — run one from a template" testId="jobs-empty" />;

  return (
    <div className="page" data-testid="jobs-page">
      <div className="page-head">
        <h1 className="page-title">Jobs</h1>
      </div>
      <RunJobForm />
      {body}
    </div>
  );
}
