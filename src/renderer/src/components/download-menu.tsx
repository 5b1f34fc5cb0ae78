import { useEffect, useRef, useState } from 'react';
import { useClient } from '../client/client-context';
import type { LogFilterInput } from '../logs/log-search';
import { reportError } from '../state/report-error';
import { useToasts } from '../state/toasts-store';

interface DownloadMenuProps {
  /** The filters of the lines to export; null when the form cannot be used (its error is shown elsewhere). */
  filter: () => LogFilterInput | null;
  testId?: string;
  compact?: boolean;
}

/**
 * Exports stored lines as a file: plain text (what `docker logs --timestamps` prints) or NDJSON,
 * optionally gzipped. The filters are checked with `logs.count` first: a browser download cannot
 * show the server's error, and the count tells how much is coming.
 */
export function DownloadMenu({ filter, testId = 'log-download', compact }: DownloadMenuProps) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [gzip, setGzip] = useState(false);
  const [busy, setBusy] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const download = async (format: 'text' | 'ndjson') => {
    const chosen = filter();
    if (!chosen) return;
    setOpen(false);
    setBusy(true);
    try {
      const { count } = await client.request('logs.count', chosen);
      if (count === 0) {
        useToasts.getState().push('info', 'Nothing to download: no stored line matches');
        return;
      }
      const saved = await client.download('logs.export', { ...chosen, format, gzip });
      const lines = `${count.toLocaleString()} ${count === 1 ? 'line' : 'lines'}`;
      if (saved) useToasts.getState().push('info', client.transport === 'http' ? `Downloading ${lines}` : `Saved ${lines}`);
    } catch (err) {
      reportError(err, 'Download failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="menu" ref={rootRef}>
      <button
        type="button"
        className={`button button-small ${compact ? 'button-ghost log-tool' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={`${testId}-button`}
        disabled={busy}
        title="Download the stored lines"
        onClick={() => setOpen((o) => !o)}
      >
        {busy ? <span className="spinner" aria-hidden="true" /> : <span aria-hidden="true">↓</span>}
        Download
      </button>
      {open && (
        <div className="menu-popover" role="menu" data-testid={`${testId}-menu`}>
          <button type="button" role="menuitem" className="menu-item" data-testid={`${testId}-text`} onClick={() => void download('text')}>
            Plain text <span className="muted">.log</span>
          </button>
          <button type="button" role="menuitem" className="menu-item" data-testid={`${testId}-ndjson`} onClick={() => void download('ndjson')}>
            JSON lines <span className="muted">.ndjson</span>
          </button>
          <label className="menu-check">
            <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} data-testid={`${testId}-gzip`} />
            Compress (gzip)
          </label>
        </div>
      )}
    </div>
  );
}
