import { useState } from 'react';
import type { RequestOutput } from '../../../../shared/contract';
import { useClient } from '../../client/client-context';
import { summarizeBulk, type BulkAction } from '../../state/bulk-summary';
import { useJobs } from '../../state/jobs-store';
import { clearSelection, forgetJobs, useJobsTable } from '../../state/jobs-table-store';
import { reportError } from '../../state/report-error';
import { useToasts } from '../../state/toasts-store';
import { rememberJob } from './job-actions';

/** jobs.bulk takes at most this many ids per request. */
const bulkLimit = 1000;
const verbs: Record<BulkAction, string> = { cancel: 'Cancelling', retry: 'Retrying', delete: 'Deleting' };

/** What to do with the selected rows: cancel, retry or delete them, each id answered on its own. */
export function BulkBar() {
  const client = useClient();
  const selected = useJobsTable((s) => s.selection.selected);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [busy, setBusy] = useState<BulkAction | null>(null);
  if (selected.size === 0) return null;

  const run = async (action: BulkAction) => {
    setConfirmingDelete(false);
    setBusy(action);
    const ids = [...selected];
    const results: RequestOutput<'jobs.bulk'>['results'] = [];
    try {
      for (let i = 0; i < ids.length; i += bulkLimit) {
        const answer = await client.request('jobs.bulk', { action, ids: ids.slice(i, i + bulkLimit) });
        results.push(...answer.results);
      }
    } catch (err) {
      reportError(err, `${verbs[action]} ${ids.length === 1 ? 'the job' : `${ids.length} jobs`} failed`);
    } finally {
      setBusy(null);
    }
    for (const result of results) if (result.job) rememberJob(result.job);
    if (action === 'delete') {
      const deleted = results.filter((r) => r.ok).map((r) => r.id);
      forgetJobs(deleted);
      useJobs.getState().remove(deleted);
    }
    if (results.length > 0) {
      const summary = summarizeBulk(action, results);
      useToasts.getState().push(summary.ok ? 'info' : 'error', summary.message);
      clearSelection();
    }
  };

  const count = selected.size;
  return (
    <div className="card bulk-bar" data-testid="jobs-bulk-bar" role="toolbar" aria-label="Selected jobs">
      <span className="bulk-count" data-testid="jobs-selected-count">
        {count.toLocaleString()} selected
      </span>
      {confirmingDelete ? (
        <>
          <span className="bulk-confirm" data-testid="jobs-bulk-confirm">
            Delete {count === 1 ? 'this job' : `these ${count.toLocaleString()} jobs`} and their logs?
          </span>
          <button type="button" className="button button-danger button-small" data-testid="jobs-bulk-delete-confirm" onClick={() => void run('delete')}>
            Delete
          </button>
          <button type="button" className="button button-small" data-testid="jobs-bulk-delete-keep" onClick={() => setConfirmingDelete(false)}>
            Keep
          </button>
        </>
      ) : (
        <>
          <button type="button" className="button button-small" data-testid="jobs-bulk-cancel" disabled={busy !== null} onClick={() => void run('cancel')}>
            {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
          <button type="button" className="button button-small" data-testid="jobs-bulk-retry" disabled={busy !== null} onClick={() => void run('retry')}>
            {busy === 'retry' ? 'Retrying…' : 'Retry'}
          </button>
          <button
            type="button"
            className="button button-danger button-small"
            data-testid="jobs-bulk-delete"
            disabled={busy !== null}
            onClick={() => setConfirmingDelete(true)}
          >
            {busy === 'delete' ? 'Deleting…' : 'Delete'}
          </button>
          <button type="button" className="button button-ghost button-small" data-testid="jobs-bulk-clear" disabled={busy !== null} onClick={clearSelection}>
            Clear selection
          </button>
        </>
      )}
    </div>
  );
}
