import { useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Job } from '../../../shared/model';
import { finishedStatuses } from '../../../shared/job-status';
import { useClient } from '../client/client-context';
import { formatDuration, formatTimestamp, fullTimestamp, jobDurationMs } from '../lib/format';
import { useNow } from '../lib/use-now';
import { navigate } from '../routing/use-route';
import { useJobs } from '../state/jobs-store';
import { reportError } from '../state/report-error';
import { StatusPill } from './status-pill';

export function JobsTable({ jobs }: { jobs: Job[] }) {
  // One clock for the whole table, ticking only while something runs.
  const now = useNow(jobs.some((j) => j.status === 'running'));
  return (
    <div className="card table-card">
      <table className="table jobs-table" data-testid="jobs-table">
        <thead>
          <tr>
            <th className="col-id">ID</th>
            <th>Template</th>
            <th>Status</th>
            <th className="col-num">Exit</th>
            <th>Started</th>
            <th className="col-num">Duration</th>
            <th className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({ job, now }: { job: Job; now: number }) {
  const open = () => navigate({ name: 'job', id: job.id });
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  };
  const duration = jobDurationMs(job, now);
  return (
    <tr className="row-link" data-job-id={job.id} data-testid="job-row" tabIndex={0} onClick={open} onKeyDown={onKey}>
      <td className="col-id mono">#{job.id}</td>
      <td className="cell-strong">{job.templateName}</td>
      <td>
        <StatusPill status={job.status} />
      </td>
      <td className="col-num mono" data-testid="job-exit-code">
        {job.exitCode ?? '—'}
      </td>
      <td title={fullTimestamp(job.startedAt ?? job.createdAt)}>{formatTimestamp(job.startedAt, now)}</td>
      <td className="col-num mono" data-testid="job-duration">
        {duration === null ? '—' : formatDuration(duration, job.finishedAt !== null)}
      </td>
      <td className="col-actions">{!finishedStatuses.has(job.status) && <CancelButton jobId={job.id} />}</td>
    </tr>
  );
}

export function CancelButton({ jobId }: { jobId: number }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const cancel = async (e: MouseEvent) => {
    // The row behind the button opens the job; a cancel must not.
    e.stopPropagation();
    setBusy(true);
    try {
      useJobs.getState().upsert(await client.request('jobs.cancel', { id: jobId }));
    } catch (err) {
      reportError(err, `Cancelling job #${jobId} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="button button-danger button-small"
      data-testid="cancel-job-button"
      disabled={busy}
      onClick={cancel}
      onKeyDown={(e) => e.stopPropagation()}
    >
      {busy ? 'Cancelling…' : 'Cancel'}
    </button>
  );
}
