import { describe, expect, it } from 'vitest';
import { summarizeBulk } from './bulk-summary';

const ok = (id: number) => ({ id, ok: true, error: null, job: null });
const no = (id: number, error: string) => ({ id, ok: false, error, job: null });

describe('summarizeBulk', () => {
  it('counts what was done', () => {
    expect(summarizeBulk('delete', [ok(1), ok(2)])).toEqual({ ok: true, message: '2 deleted' });
  });

  it('says which jobs could not be, and why, naming each job once', () => {
    const summary = summarizeBulk('cancel', [ok(1), ok(2), ok(3), no(12, 'job 12 is already completed')]);
    expect(summary).toEqual({ ok: false, message: '3 cancelled, 1 could not be: job 12 is already completed' });
    expect(summarizeBulk('retry', [no(7, 'it is still running')]).message).toBe('0 retried, 1 could not be: job 7: it is still running');
  });

  it('lists three reasons and counts the rest', () => {
    const message = summarizeBulk('cancel', [5, 6, 7, 8, 9].map((id) => no(id, 'gone'))).message;
    expect(message).toBe('0 cancelled, 5 could not be: job 5: gone; job 6: gone; job 7: gone; and 2 more');
  });
});
