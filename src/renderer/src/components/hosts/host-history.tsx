import { useEffect, useState } from 'react';
import type { HostStatusChange } from '../../../../shared/model';
import { useClient } from '../../client/client-context';
import { errorMessage } from '../../client/client-error';
import { formatTimestamp, fullTimestamp } from '../../lib/format';

/** A host's state changes, newest first: when it went up or down, and why. */
export function HostHistory({ hostId }: { hostId: number }) {
  const client = useClient();
  const [changes, setChanges] = useState<HostStatusChange[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.request('hosts.history', { id: hostId, limit: 50 }).then(
      (r) => live && setChanges(r.changes),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [client, hostId]);

  if (error) return <p className="cell-error" data-testid="host-history-error">History unavailable: {error}</p>;
  if (!changes) return <p className="muted small">Loading history…</p>;
  if (changes.length === 0) return <p className="muted small" data-testid="host-history-empty">No state changes recorded yet.</p>;
  return (
    <ol className="host-history" data-testid="host-history">
      {changes.map((c, i) => (
        <li key={`${c.checkedAt}-${i}`} className="host-history-item" data-state={c.state}>
          <span className="pill host-pill" data-state={c.state}>
            <span className="pill-dot" aria-hidden="true" />
            {c.state}
          </span>
          <time dateTime={fullTimestamp(c.checkedAt)}>{formatTimestamp(c.checkedAt)}</time>
          <span className="muted small">
            {c.state === 'up' ? [c.version && `Docker ${c.version}`, c.latencyMs != null && `${Math.round(c.latencyMs)} ms`].filter(Boolean).join(', ') : (c.error ?? '')}
          </span>
        </li>
      ))}
    </ol>
  );
}
