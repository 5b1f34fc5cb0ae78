import { useRef, useState } from 'react';
import type { RequestOutput } from '../../../../shared/contract';
import { useClient } from '../../client/client-context';
import { reportError } from '../../state/report-error';
import { useToasts } from '../../state/toasts-store';

type ImportResult = RequestOutput<'templates.import'>;

/** YAML export (secret values left out by the server) and import from a file, with what it did. */
export function TemplatesTransfer() {
  const client = useClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);

  const exportAll = async () => {
    setBusy(true);
    try {
      const saved = await client.download('templates.export', {});
      if (saved) useToasts.getState().push('info', client.transport === 'http' ? 'Downloading templates.yaml' : 'Templates saved');
    } catch (err) {
      reportError(err, 'Export failed');
    } finally {
      setBusy(false);
    }
  };

  const importFile = async (file: File) => {
    setBusy(true);
    setResult(null);
    try {
      const yaml = await file.text();
      setResult(await client.request('templates.import', { yaml }));
    } catch (err) {
      reportError(err, 'Import failed');
    } finally {
      setBusy(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  return (
    <div className="templates-transfer">
      <div className="page-head-actions">
        <button type="button" className="button button-small" disabled={busy} onClick={() => void exportAll()} data-testid="templates-export">
          Export YAML
        </button>
        <button type="button" className="button button-small" disabled={busy} onClick={() => fileRef.current?.click()} data-testid="templates-import">
          Import YAML
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".yaml,.yml,text/yaml,application/yaml"
          hidden
          data-testid="templates-import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
      </div>
      {result && (
        <div className="card import-result" data-testid="templates-import-result" role="status">
          <p>
            {result.created.length} created{result.created.length ? `: ${result.created.join(', ')}` : ''}; {result.updated.length} updated
            {result.updated.length ? `: ${result.updated.join(', ')}` : ''}
            {result.errors.length ? `; ${result.errors.length} refused` : ''}.
          </p>
          {result.errors.length > 0 && (
            <ul className="import-errors">
              {result.errors.map((e) => (
                <li key={e.name}>
                  <strong>{e.name}</strong>: {e.error}
                </li>
              ))}
            </ul>
          )}
          <p className="field-help">Secret values are never exported: set them again on imported templates.</p>
          <button type="button" className="button button-ghost button-small" onClick={() => setResult(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
