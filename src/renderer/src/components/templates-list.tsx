import { Fragment, useState } from 'react';
import type { Template, TemplateStats } from '../../../shared/model';
import { joinShellWords } from '../../../shared/shell-words';
import { useClient } from '../client/client-context';
import { formatDuration, formatTimestamp, fullTimestamp } from '../lib/format';
import { useHosts } from '../state/hosts-store';
import { reportError } from '../state/report-error';
import { useTemplates } from '../state/templates-store';
import { useToasts } from '../state/toasts-store';
import { RunTemplateForm } from './templates/run-template-form';

interface TemplatesListProps {
  templates: Template[];
  stats: Record<number, TemplateStats>;
  /** The template open in the editor, if any. */
  editingId: number | null;
  onEdit(id: number): void;
}

/** Templates with how they have been doing, their next run, and Run / Edit / Delete. */
export function TemplatesList({ templates, stats, editingId, onEdit }: TemplatesListProps) {
  const client = useClient();
  const hosts = useHosts((s) => s.hosts);
  const [running, setRunning] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);

  const hostName = (id: number | null) => (id === null ? 'least busy' : (hosts.find((h) => h.id === id)?.name ?? `host ${id}`));

  const remove = async (t: Template) => {
    setDeleting(true);
    try {
      const { message } = await client.request('templates.delete', { id: t.id });
      useTemplates.getState().remove(t.id);
      useToasts.getState().push('info', message);
    } catch (err) {
      // A 409 says which jobs still run or wait.
      reportError(err, `Deleting “${t.name}” failed`);
    } finally {
      setDeleting(false);
      setConfirming(null);
    }
  };

  return (
    <div className="card table-card">
      <table className="table templates-table" data-testid="templates-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Command</th>
            <th>Host</th>
            <th>Next run</th>
            <th className="col-num">Jobs</th>
            <th className="col-num">Success</th>
            <th>Last run</th>
            <th className="col-num">Mean run</th>
            <th className="col-actions" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {templates.map((t) => {
            const s = stats[t.id];
            const secretCount = Object.keys(t.secretEnv).length;
            const envCount = Object.keys(t.env).length;
            return (
              <Fragment key={t.id}>
                <tr data-template-id={t.id} data-testid="template-row" aria-selected={editingId === t.id || undefined}>
                  <td>
                    <div className="cell-strong" data-testid="template-row-name">
                      {t.name}
                    </div>
                    <div className="mono muted small" data-testid="template-row-image">
                      {t.image}
                    </div>
                  </td>
                  <td className="mono cell-command" data-testid="template-row-command">
                    {t.command.length > 0 ? joinShellWords(t.command) : <span className="muted">image default</span>}
                    {(envCount > 0 || secretCount > 0) && (
                      <div className="muted small" data-testid="template-row-env" title={[...Object.keys(t.env), ...Object.keys(t.secretEnv)].join(', ')}>
                        {envCount} env{secretCount > 0 ? `, ${secretCount} secret${secretCount === 1 ? '' : 's'}: ${Object.keys(t.secretEnv).join(', ')}` : ''}
                      </div>
                    )}
                  </td>
                  <td>{hostName(t.hostId)}</td>
                  <td data-testid="template-row-next" title={t.schedule ? `${t.schedule.cron} (${t.schedule.timezone})` : undefined}>
                    {t.nextRuns[0] !== undefined ? (
                      <time dateTime={fullTimestamp(t.nextRuns[0])}>{formatTimestamp(t.nextRuns[0])}</time>
                    ) : t.schedule ? (
                      <span className="muted">schedule off</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="col-num" data-testid="template-row-jobs">
                    {s ? s.jobs : '—'}
                  </td>
                  <td className="col-num" data-testid="template-row-success">
                    {s?.successRate != null ? `${Math.round(s.successRate * 100)}%` : '—'}
                  </td>
                  <td>{s?.lastRunAt != null ? <time dateTime={fullTimestamp(s.lastRunAt)}>{formatTimestamp(s.lastRunAt)}</time> : '—'}</td>
                  <td className="col-num">{s?.meanRunMs != null ? formatDuration(s.meanRunMs) : '—'}</td>
                  <td className="col-actions">
                    {confirming === t.id ? (
                      <span className="row-actions" data-testid="template-delete-confirm">
                        <span className="muted small">Delete? Its jobs stay.</span>
                        <button type="button" className="button button-small button-danger" disabled={deleting} data-testid="template-delete-yes" onClick={() => void remove(t)}>
                          Delete
                        </button>
                        <button type="button" className="button button-small button-ghost" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <span className="row-actions">
                        <button
                          type="button"
                          className="button button-small button-primary"
                          aria-expanded={running === t.id}
                          data-testid="template-run"
                          onClick={() => setRunning(running === t.id ? null : t.id)}
                        >
                          Run…
                        </button>
                        <button type="button" className="button button-small" data-testid="template-edit" onClick={() => onEdit(t.id)}>
                          Edit
                        </button>
                        <button type="button" className="button button-small button-ghost" data-testid="template-delete" onClick={() => setConfirming(t.id)}>
                          Delete
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
                {running === t.id && (
                  <tr className="row-detail">
                    <td colSpan={9}>
                      <RunTemplateForm template={t} onDone={() => setRunning(null)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
