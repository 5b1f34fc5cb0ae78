import { useSession } from '../state/session-store';

/** Shown only when the live link is not open: events and logs are not arriving. */
export function ConnectionIndicator() {
  const connection = useSession((s) => s.connection);
  if (connection === 'open') return null;
  return (
    <span className="connection-indicator" data-testid="connection-state" data-state={connection} role="status">
      <span className="spinner" aria-hidden="true" />
      {connection === 'connecting' ? 'Connecting…' : 'Disconnected — reconnecting'}
    </span>
  );
}
