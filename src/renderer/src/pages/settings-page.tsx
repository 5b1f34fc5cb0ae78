import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/model';
import { useClient } from '../client/client-context';
import { errorMessage } from '../client/client-error';
import { EmptyState } from '../components/empty-state';
import { useToasts } from '../state/toasts-store';
import { FormFooter } from '../components/form-footer';

const mib = 1024 * 1024;
const gib = 1024 * mib;

/** Sizes are edited in MiB or GiB; the API takes bytes. */
function toUnit(bytes: number): { value: string; unit: 'MiB' | 'GiB' } {
  return bytes % gib === 0 ? { value: String(bytes / gib), unit: 'GiB' } : { value: String(Math.round((bytes / mib) * 10) / 10), unit: 'MiB' };
}

/** Log retention: how long and how much the store keeps, oldest lines going first. */
export function SettingsPage() {
  const client = useClient();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [days, setDays] = useState('');
  const [size, setSize] = useState('');
  const [unit, setUnit] = useState<'MiB' | 'GiB'>('GiB');
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const show = (s: Settings) => {
    setSettings(s);
    setDays(String(s.logs.maxAgeDays));
    const sized = toUnit(s.logs.maxBytes);
    setSize(sized.value);
    setUnit(sized.unit);
  };

  useEffect(() => {
    let live = true;
    client.request('settings.get', {}).then(
      (s) => live && show(s),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    const off = client.on('settings.updated', (s) => live && show(s));
    return () => {
      live = false;
      off();
    };
  }, [client]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const maxAgeDays = Number(days);
    const maxBytes = Math.round(Number(size) * (unit === 'GiB' ? gib : mib));
    if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1) return setFormError('Keep lines for at least 1 whole day');
    if (!Number.isFinite(maxBytes) || maxBytes < mib) return setFormError('The store needs at least 1 MiB');
    setSaving(true);
    setFormError(null);
    try {
      show(await client.request('settings.update', { logs: { maxAgeDays, maxBytes } }));
      useToasts.getState().push('info', 'Retention saved');
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="page" data-testid="settings-page">
      <div className="page-head">
        <h1 className="page-title">Settings</h1>
      </div>
      {error ? (
        <EmptyState title="Could not load settings" tone="error">
          <p>{error}</p>
        </EmptyState>
      ) : !settings ? (
        <EmptyState title="Loading settings…" />
      ) : (
        <form className="card form" onSubmit={(e) => void submit(e)} data-testid="retention-form">
          <h2 className="card-title">Log retention</h2>
          <p className="field-help">
            Berth deletes stored lines older than this, and the oldest lines first when the store grows past its size. A template can keep
            its own limits.
          </p>
          <div className="form-grid">
            <label className="field">
              <span className="field-label">Keep lines for (days)</span>
              <input className="input" type="number" min={1} step={1} value={days} onChange={(e) => setDays(e.target.value)} data-testid="retention-days" />
            </label>
            <div className="field">
              <span className="field-label">Store at most</span>
              <div className="input-group">
                <input className="input" type="number" min={1} step="any" value={size} onChange={(e) => setSize(e.target.value)} aria-label="Size" data-testid="retention-size" />
                <select className="input input-unit" value={unit} onChange={(e) => setUnit(e.target.value as 'MiB' | 'GiB')} aria-label="Unit">
                  <option>MiB</option>
                  <option>GiB</option>
                </select>
              </div>
            </div>
          </div>
          <FormFooter error={formError} busy={saving} label="Save" busyLabel="Saving…" submitTestId="retention-save" />
        </form>
      )}
    </div>
  );
}
