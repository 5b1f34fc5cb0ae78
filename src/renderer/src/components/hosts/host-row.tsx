import { Fragment, useState, type FormEvent } from 'react';
import type { Host } from '../../../../shared/model';
import { useClient } from '../../client/client-context';
import { formatTimestamp, fullTimestamp } from '../../lib/format';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useHosts } from '../../state/hosts-store';
import { reportError } from '../../state/report-error';
import { useToasts } from '../../state/toasts-store';
import { HostHistory } from './host-history';

/** What "Test connection" found for one host. */
export type TestResult = { ok: true; host: Host } | { ok: false; error: string };

const gib = 1024 ** 3;
const memory = (bytes: number | null) => (bytes == null ? '—' : `${Math.round((bytes / gib) * 10) / 10} GiB`);

interface HostRowProps {
  host: Host;
  selected: boolean;
  onSelect(selected: boolean): void;
  test?: TestResult;
}

const columns = 10;

export function HostRow({ host, selected, onSelect, test }: HostRowProps) {
  const client = useClient();
  const [panel, setPanel] = useState<'edit' | 'history' | 'remove' | null>(null);
  const [busy, setBusy] = useState(false);
  const { state, error, version, cpus } = host.status;

  const toggle = (which: typeof panel) => setPanel((p) => (p === which ? null : which));

  const setEnabled = async (enabled: boolean) => {
    setBusy(true);
    try {
      useHosts.getState().upsert(await client.request('hosts.update', { id: host.id, enabled }));
    } catch (err) {
      reportError(err, `${enabled ? 'Enabling' : 'Disabling'} “${host.name}” failed`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      const { message } = await client.request('hosts.remove', { id: host.id });
      useHosts.getState().remove(host.id);
      useToasts.getState().push('info', message);
    } catch (err) {
      // 409: jobs still run or wait there, or it is the default host.
      reportError(err, `Removing “${host.name}” failed`);
      setPanel(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Fragment>
      <tr data-testid="host-row" data-host-id={host.id} data-host-name={host.name} aria-selected={selected || undefined}>
        <td>
          <input type="checkbox" checked={selected} aria-label={`Select ${host.name}`} onChange={(e) => onSelect(e.target.checked)} data-testid="host-select" />
        </td>
        <td>
          <div className="cell-strong" data-testid="host-row-name">
            {host.name}
            {host.isDefault && <span className="muted small"> (default)</span>}
          </div>
          <div className="mono muted small" title={host.kind}>
            {host.address}
            {host.tls ? ' · TLS' : ''}
          </div>
        </td>
        <td>
          <span
            className="pill host-pill"
            data-testid="host-row-state"
            data-state={host.enabled ? state : 'unknown'}
            title={host.status.checkedAt ? `checked ${fullTimestamp(host.status.checkedAt)}` : undefined}
          >
            <span className="pill-dot" aria-hidden="true" />
            {host.enabled ? state : 'disabled'}
          </span>
          {state === 'down' && error && (
            <div className="cell-error" data-testid="host-row-error">
              {error}
            </div>
          )}
        </td>
        <td className="mono" data-testid="host-row-version">
          {version ?? '—'}
        </td>
        <td className="col-num">{cpus ?? '—'}</td>
        <td className="col-num">{memory(host.status.memoryBytes)}</td>
        <td className="col-num" data-testid="host-row-slots" title={host.concurrency === null ? 'slots: the CPU count' : 'slots: set by hand'}>
          {host.running} / {host.slots}
        </td>
        <td className="col-num" data-testid="host-row-queued">
          {host.queued}
        </td>
        <td>
          <label className="check">
            <input type="checkbox" checked={host.enabled} disabled={busy} onChange={(e) => void setEnabled(e.target.checked)} data-testid="host-enabled" />
            {host.enabled ? 'on' : 'off'}
          </label>
        </td>
        <td className="col-actions">
          <span className="row-actions">
            <button type="button" className="button button-small" aria-expanded={panel === 'edit'} onClick={() => toggle('edit')} data-testid="host-edit">
              Edit
            </button>
            <button type="button" className="button button-small button-ghost" aria-expanded={panel === 'history'} onClick={() => toggle('history')} data-testid="host-history-button">
              History
            </button>
            <button type="button" className="button button-small button-ghost" onClick={() => toggle('remove')} data-testid="host-remove">
              Remove
            </button>
          </span>
        </td>
      </tr>
      {test && (
        <tr className="row-detail" data-testid="host-test-result" data-ok={test.ok}>
          <td />
          <td colSpan={columns - 1}>
            {test.ok ? (
              <span>
                Test: <strong>{test.host.status.state}</strong>
                {test.host.status.version ? ` — Docker ${test.host.status.version}` : ''}
                {test.host.status.latencyMs != null ? `, ${Math.round(test.host.status.latencyMs)} ms` : ''}
                {test.host.status.state === 'down' && test.host.status.error ? ` — ${test.host.status.error}` : ''}
                {test.host.status.checkedAt ? <span className="muted small"> at {formatTimestamp(test.host.status.checkedAt)}</span> : null}
              </span>
            ) : (
              <span className="cell-error">Test failed: {test.error}</span>
            )}
          </td>
        </tr>
      )}
      {panel && (
        <tr className="row-detail">
          <td />
          <td colSpan={columns - 1}>
            {panel === 'edit' && <HostEditForm host={host} onDone={() => setPanel(null)} />}
            {panel === 'history' && <HostHistory hostId={host.id} />}
            {panel === 'remove' && (
              <span className="row-actions" data-testid="host-remove-confirm">
                Remove “{host.name}”? Its finished jobs keep their history.
                <button type="button" className="button button-small button-danger" disabled={busy} onClick={() => void remove()} data-testid="host-remove-yes">
                  Remove
                </button>
                <button type="button" className="button button-small button-ghost" onClick={() => setPanel(null)}>
                  Keep
                </button>
              </span>
            )}
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/** Name and concurrency; an empty concurrency follows the engine's CPU count. */
function HostEditForm({ host, onDone }: { host: Host; onDone(): void }) {
  const client = useClient();
  const [name, setName] = useState(host.name);
  const [concurrency, setConcurrency] = useState(host.concurrency === null ? '' : String(host.concurrency));
  const { error, busy: saving, run } = useFormSubmit('Saving the host failed');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const text = concurrency.trim();
      const updated = await client.request('hosts.update', { id: host.id, name, concurrency: text === '' ? null : text });
      useHosts.getState().upsert(updated);
      useToasts.getState().push('info', `Host “${updated.name}” saved`);
      onDone();
    });
  };

  return (
    <form className="host-edit" onSubmit={submit} data-testid="host-edit-form" noValidate>
      <label className="field field-inline">
        <span className="field-label">Name</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} data-testid="host-edit-name" />
      </label>
      <label className="field field-inline">
        <span className="field-label">Jobs at once</span>
        <input
          className="input"
          type="number"
          min={1}
          step={1}
          value={concurrency}
          placeholder={`CPU count${host.status.cpus ? ` (${host.status.cpus})` : ''}`}
          onChange={(e) => setConcurrency(e.target.value)}
          data-testid="host-edit-concurrency"
        />
      </label>
      <button type="submit" className="button button-primary button-small" disabled={saving} data-testid="host-edit-save">
        {saving ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="button button-ghost button-small" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="host-edit-error">
          {error}
        </p>
      )}
    </form>
  );
}
