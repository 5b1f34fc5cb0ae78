import type { JobStatus } from '../../../shared/model';

export const statusLabels: Record<JobStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  timed_out: 'Timed out',
  cancelled: 'Cancelled',
};

export function StatusPill({ status }: { status: JobStatus }) {
  return (
    <span className="pill status-pill" data-testid="job-status" data-status={status}>
      <span className="pill-dot" aria-hidden="true" />
      {statusLabels[status] ?? status}
    </span>
  );
}
