import { useState, type MouseEvent } from 'react';
import type { Job } from '../../../../shared/model';
import { useClient } from '../../client/client-context';
import { navigate } from '../../routing/use-route';
import { useJobs } from '../../state/jobs-store';
import { applyJob } from '../../state/jobs-table-store';
import { reportError } from '../../state/report-error';
import { useToasts } from '../../state/toasts-store';

/** An answer about a job goes to both lists that may show it. */
export function rememberJob(job: Job): void {
  useJobs.getState().upsert(job);
  applyJob(job);
}

export function CancelButton({ jobId }: { jobId: number }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const cancel = async (e: MouseEvent) => {
    // A row behind the button may open the job; a cancel must not.
    e.stopPropagation();
    setBusy(true);
    try {
      rememberJob(await client.request('jobs.cancel', { id: jobId }));
    } catch (err) {
      reportError(err, `Cancelling job #${jobId} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button button-danger button-small" data-testid="cancel-job-button" disabled={busy} onClick={cancel}>
      {busy ? 'Cancelling…' : 'Cancel'}
    </button>
  );
}

/** Runs a finished job again as a new job, and opens it. */
export function RetryButton({ jobId }: { jobId: number }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      const job = await client.request('jobs.retry', { id: jobId });
      rememberJob(job);
      useToasts.getState().push('info', `Job #${jobId} queued again as #${job.id}`);
      navigate({ name: 'job', id: job.id });
    } catch (err) {
      reportError(err, `Retrying job #${jobId} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button button-small" data-testid="retry-job-button" disabled={busy} onClick={retry}>
      {busy ? 'Retrying…' : 'Retry'}
    </button>
  );
}
