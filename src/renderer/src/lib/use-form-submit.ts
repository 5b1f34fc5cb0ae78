import { useState } from 'react';
import { ClientError } from '../client/client-error';
import { reportError } from '../state/report-error';

/**
 * A form's send: busy while it runs; a refusal the person can fix (400, 409) becomes the form's
 * own message, anything else a toast saying what failed.
 */
export function useFormSubmit(failure: string) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      if (err instanceof ClientError && (err.code === 'bad_request' || err.code === 'conflict')) setError(err.message);
      else reportError(err, failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
