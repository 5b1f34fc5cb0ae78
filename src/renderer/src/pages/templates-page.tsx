import { useClient } from '../client/client-context';
import { EmptyState } from '../components/empty-state';
import { TemplateForm } from '../components/template-form';
import { TemplatesList } from '../components/templates-list';
import { loadTemplates, useTemplates } from '../state/templates-store';

export function TemplatesPage() {
  const client = useClient();
  const templates = useTemplates((s) => s.templates);
  const loaded = useTemplates((s) => s.loaded);
  const error = useTemplates((s) => s.error);

  let body;
  if (templates.length > 0) body = <TemplatesList templates={templates} />;
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
        <p>A template names an image, a command and its environment. Create one below, then run it from the Jobs page.</p>
      </EmptyState>
    );

  return (
    <div className="page" data-testid="templates-page">
      <div className="page-head">
        <h1 className="page-title">Templates</h1>
      </div>
      {body}
      <TemplateForm />
    </div>
  );
}
