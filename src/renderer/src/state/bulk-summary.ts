import type { RequestOutput } from '../../../shared/contract';

export type BulkAction = 'cancel' | 'retry' | 'delete';
type BulkResult = RequestOutput<'jobs.bulk'>['results'][number];

const done: Record<BulkAction, string> = { cancel: 'cancelled', retry: 'retried', delete: 'deleted' };
/** Reasons listed in full before "and N more". */
const shownReasons = 3;

/** One line for a toast: "3 cancelled, 1 could not be: job 12 is already completed". */
export function summarizeBulk(action: BulkAction, results: readonly BulkResult[]): { ok: boolean; message: string } {
  const failed = results.filter((r) => !r.ok);
  const okCount = results.length - failed.length;
  let message = `${okCount} ${done[action]}`;
  if (failed.length > 0) {
    const reasons = failed.slice(0, shownReasons).map(reason);
    if (failed.length > shownReasons) reasons.push(`and ${failed.length - shownReasons} more`);
    message += `, ${failed.length} could not be: ${reasons.join('; ')}`;
  }
  return { ok: failed.length === 0, message };
}

/** The server's reason, naming the job once. */
function reason(result: BulkResult): string {
  const error = result.error ?? 'no reason given';
  return /^job #?\d+\b/i.test(error) ? error : `job ${result.id}: ${error}`;
}
