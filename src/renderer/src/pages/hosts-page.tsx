import { useState } from 'react';
import { useClient } from '../client/client-context';
import { EmptyState } from '../components/empty-state';
import { ContextsImport } from '../components/hosts/contexts-import';
import { HostAddForm } from '../components/hosts/host-add-form';
import { HostRow, type TestResult } from '../components/hosts/host-row';
import { loadHosts, useHosts } from '../state/hosts-store';
import { reportError } from '../state/report-error';

/** The Docker hosts Berth runs jobs on: their state, capacity and load, and managing them. */
export function HostsPage() {
  const client = useClient();
  const hosts = useHosts((s) => s.hosts);
  const loaded = useHosts((s) => s.loaded);
  const error = useHosts((s) => s.error);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [tests, setTests] = useState<Record<number, TestResult>>({});
  const [testing, setTesting] = useState(false);
  const [panel, setPanel] = useState<'add' | 'contexts' | null>(null);

  // Hosts removed elsewhere drop out of the selection.
  const chosen = hosts.filter((h) => selected.has(h.id)).map((h) => h.id);
  const select = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const test = async () => {
    setTesting(true);
    try {
      const { results } = await client.request('hosts.test', { ids: chosen });
      const found: Record<number, TestResult> = {};
      for (const r of results) {
        if (r.host) useHosts.getState().upsert(r.host);
        found[r.id] = r.host ? { ok: true, host: r.host } : { ok: false, error: r.error ?? 'no answer' };
      }
      setTests(found);
    } catch (err) {
      reportError(err, 'Testing the connections failed');
    } finally {
      setTesting(false);
    }
  };

  let body;
  if (hosts.length > 0)
    body = (
      <div className="card table-card">
        <table className="table hosts-table" data-testid="hosts-list">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label="Select all hosts"
                  checked={chosen.length === hosts.length}
                  onChange={(e) => setSelected(new Set(e.target.checked ? hosts.map((h) => h.id) : []))}
                  data-testid="hosts-select-all"
                />
              </th>
              <th>Host</th>
              <th>Status</th>
              <th>Engine</th>
              <th className="col-num">CPUs</th>
              <th className="col-num">Memory</th>
              <th className="col-num">Running / slots</th>
              <th className="col-num">Queued</th>
              <th>Enabled</th>
              <th className="col-actions" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <HostRow key={h.id} host={h} selected={selected.has(h.id)} onSelect={(on) => select(h.id, on)} test={tests[h.id]} />
            ))}
          </tbody>
        </table>
      </div>
    );
  else if (error)
    body = (
      <EmptyState title="Could not load hosts" tone="error" testId="hosts-error">
        <p>{error}</p>
        <button type="button" className="button" onClick={() => void loadHosts(client)}>
          Retry
        </button>
      </EmptyState>
    );
  else body = <EmptyState title={loaded ? 'No hosts' : 'Loading hosts…'} testId="hosts-loading" />;

  return (
    <div className="page" data-testid="hosts-page">
      <div className="page-head">
        <h1 className="page-title">Hosts</h1>
        <div className="page-head-actions hosts-actions">
          <button type="button" className="button button-small" disabled={chosen.length === 0 || testing} onClick={() => void test()} data-testid="hosts-test">
            {testing ? 'Testing…' : `Test connection${chosen.length ? ` (${chosen.length})` : ''}`}
          </button>
          <button type="button" className="button button-small" onClick={() => setPanel(panel === 'contexts' ? null : 'contexts')} data-testid="hosts-contexts">
            Import from Docker contexts
          </button>
          <button type="button" className="button button-small button-primary" onClick={() => setPanel(panel === 'add' ? null : 'add')} data-testid="hosts-add">
            Add host
          </button>
        </div>
      </div>
      {panel === 'add' && <HostAddForm onDone={() => setPanel(null)} />}
      {panel === 'contexts' && <ContextsImport onDone={() => setPanel(null)} />}
      {body}
    </div>
  );
}
