import { useEffect, useState } from 'react';
import type { DockerContext, Host } from '../../../../shared/model';
import { useClient } from '../../client/client-context';
import { errorMessage } from '../../client/client-error';
import { useHosts } from '../../state/hosts-store';
import { reportError } from '../../state/report-error';

type ImportResult = { name: string; host: Host | null; error: string | null };

/** The Docker CLI's contexts (`docker context ls`) to pick from and add as hosts. */
export function ContextsImport({ onDone }: { onDone(): void }) {
  const client = useClient();
  const [contexts, setContexts] = useState<DockerContext[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<ImportResult[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    client.request('hosts.contexts', {}).then(
      (r) => live && setContexts(r.contexts),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  const toggle = (name: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(name)) next.add(name);
      return next;
    });

  const importChosen = async () => {
    setBusy(true);
    try {
      const r = await client.request('hosts.import', { names: [...chosen] });
      for (const result of r.results) if (result.host) useHosts.getState().upsert(result.host);
      setResults(r.results);
      setChosen(new Set());
    } catch (err) {
      reportError(err, 'Importing contexts failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card form" data-testid="contexts-import">
      <h2 className="card-title">Import from Docker contexts</h2>
      {error ? (
        <p className="form-error" role="alert" data-testid="contexts-error">
          {error}
        </p>
      ) : !contexts ? (
        <p className="muted">Reading contexts…</p>
      ) : contexts.length === 0 ? (
        <p className="muted" data-testid="contexts-empty">
          No Docker contexts found on this machine.
        </p>
      ) : (
        <ul className="context-list">
          {contexts.map((c) => (
            <li key={c.name} data-testid="context-row" data-name={c.name}>
              <label className="check">
                <input type="checkbox" checked={chosen.has(c.name)} disabled={c.importedAs !== null} onChange={() => toggle(c.name)} />
                <strong>{c.name}</strong>
              </label>
              <span className="mono small">{c.endpoint}</span>
              {c.tls && <span className="badge">TLS</span>}
              {c.importedAs !== null && <span className="muted small">already added as “{c.importedAs}”</span>}
              {c.description && <span className="muted small">{c.description}</span>}
            </li>
          ))}
        </ul>
      )}
      {results && (
        <ul className="import-errors" data-testid="contexts-results">
          {results.map((r) => (
            <li key={r.name}>
              <strong>{r.name}</strong>: {r.error ? <span className="cell-error">{r.error}</span> : `added as “${r.host?.name}”`}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className="button button-ghost" onClick={onDone}>
          Close
        </button>
        <button type="button" className="button button-primary" disabled={busy || chosen.size === 0} onClick={() => void importChosen()} data-testid="contexts-import-submit">
          Import {chosen.size > 0 ? chosen.size : ''}
        </button>
      </div>
    </div>
  );
}
