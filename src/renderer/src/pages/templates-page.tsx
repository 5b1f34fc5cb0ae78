import { useEffect, useRef, useState } from 'react';
import { finishedStatuses } from '../../../shared/job-status';
import { useClient } from '../client/client-context';
import { EmptyState } from '../components/empty-state';
import { TemplateForm } from '../components/template-form';
import { TemplatesList } from '../components/templates-list';
import { TemplatesTransfer } from '../components/templates/templates-transfer';
import { loadTemplates, loadTemplateStats, useTemplates } from '../state/templates-store';

/** Statistics are re-read this long after a job finishes, once for a burst of them. */
const statsDelayMs = 1500;

export function TemplatesPage() {
  const client = useClient();
  const templates = useTemplates((s) => s.templates);
  const stats = useTemplates((s) => s.stats);
  const loaded = useTemplates((s) => s.loaded);
  const error = useTemplates((s) => s.error);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [statsError, setStatsError] = useState<string | null>(null);
  const editorRef = useRef<HTMLDivElement>(null);
  const editing = templates.find((t) => t.id === editingId);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => void loadTemplateStats(client).then(setStatsError);
    refresh();
    const off = client.on('job.updated', (job) => {
      if (!finishedStatuses.has(job.status) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        refresh();
      }, statsDelayMs);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [client]);

  const edit = (id: number) => {
    setEditingId(id);
    requestAnimationFrame(() => editorRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };

  let body;
  if (templates.length > 0) body = <TemplatesList templates={templates} stats={stats} editingId={editingId} onEdit={edit} />;
  else if (error)
    body = (
      <EmptyState title="Could not load templates" tone="error" testId="templates-error">
        <p>{error}</p>
        <button type="button" className="button" data-testid="templates-retry" onClick={() => void loadTemplates(client)}>
          Retry
        </button>
      </EmptyState>
    );
  else if (!loaded) body = <EmptyState title="Loading templates…" testId="templates-loading" />;
  else
    body = (
      <EmptyState title="No templates yet" testId="templates-empty">
        <p>A template names an image, a command and its environment. Create one below, then run it from here or the Jobs page.</p>
      </EmptyState>
    );

  return (
    <div className="page" data-testid="templates-page">
      <div className="page-head">
        <h1 className="page-title">Templates</h1>
        <TemplatesTransfer />
      </div>
      {body}
      {statsError && templates.length > 0 && (
        <p className="field-help" data-testid="templates-stats-error">
          Usage statistics unavailable: {statsError}
        </p>
      )}
      <div ref={editorRef}>
        {editing ? (
          <TemplateForm key={editing.id} template={editing} onClose={() => setEditingId(null)} />
        ) : (
          <TemplateForm key="new" />
        )}
      </div>
    </div>
  );
}
