import { useMemo } from 'react';
import { dockerRunCommand } from '../../../../shared/docker-run';
import type { RunSpec } from '../../../../shared/model';
import { reportError } from '../../state/report-error';
import { useToasts } from '../../state/toasts-store';

/**
 * "Copy as docker run": the line that starts the same container. The spec holds no secret
 * values, so each secret is written as `$NAME`, for the shell of whoever runs it to fill in.
 */
export function CopyDockerRun({ spec }: { spec: RunSpec }) {
  const command = useMemo(() => dockerRunCommand(spec), [spec]);
  const copy = async () => {
    try {
      await copyText(command);
      const secrets = Object.keys(spec.secretEnv).map((k) => `$${k}`);
      const toast = secrets.length > 0 ? `Copied the docker run command; set ${secrets.join(', ')} before running it` : 'Copied the docker run command';
      useToasts.getState().push('info', toast);
    } catch (err) {
      reportError(err, 'Copying failed');
    }
  };
  return (
    <button type="button" className="button button-small" data-testid="copy-docker-run" title={command} onClick={() => void copy()}>
      Copy as docker run
    </button>
  );
}

/** The Clipboard API where the page may use it; a selected textarea otherwise (older WebViews). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser refused to copy');
}
