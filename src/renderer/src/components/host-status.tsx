import { useState } from 'react';
import { useClient } from '../client/client-context';
import { selectDefaultHost, useHosts } from '../state/hosts-store';
import { reportError } from '../state/report-error';
import { useToasts } from '../state/toasts-store';

/** The default Docker host: a status pill and a button to test the connection now. */
export function HostStatus() {
  const client = useClient();
  const host = useHosts(selectDefaultHost);
  const [testing, setTesting] = useState(false);

  const state = host?.status.state ?? 'unknown';
  const label =
    state === 'up' ? `Docker ${host?.status.version ?? ''}`.trim() : state === 'down' ? 'Docker unreachable' : 'Docker: unknown';
  const title = host
    ? [`${host.name} (${host.address})`, state === 'down' && host.status.error ? host.status.error : null]
        .filter(Boolean)
        .join('\n')
    : 'No Docker host known yet';

  const test = async () => {
    if (!host) return;
    setTesting(true);
    try {
      const updated = await client.request('hosts.refresh', { id: host.id });
      useHosts.getState().upsert(updated);
      if (updated.status.state === 'up') useToasts.getState().push('info', `${updated.name}: Docker ${updated.status.version ?? ''} is reachable`);
      else useToasts.getState().push('error', `${updated.name}: ${updated.status.error ?? 'Docker is not reachable'}`);
    } catch (err) {
      reportError(err, 'Testing the connection failed');
    } finally {
      setTesting(false);
    }
  };

  return (
    <div className="host-status">
      <span className="pill host-pill" data-testid="host-status" data-state={state} title={title}>
        <span className="pill-dot" aria-hidden="true" />
        {label}
      </span>
      <button
        type="button"
        className="button button-ghost button-small"
        data-testid="host-test-button"
        onClick={test}
        disabled={!host || testing}
      >
        {testing ? 'Testing…' : 'Test connection'}
      </button>
    </div>
  );
}
