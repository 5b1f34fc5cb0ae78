import { useState, type FormEvent } from 'react';
import { useClient } from '../client/client-context';
import { useJobs } from '../state/jobs-store';
import { reportError } from '../state/report-error';
import { useTemplates } from '../state/templates-store';

export function RunJobForm() {
  const client = useClient();
  const templates = useTemplates((s) => s.templates);
  const loaded = useTemplates((s) => s.loaded);
  const [chosen, setChosen] = useState<number | null>(null);
  const [running, setRunning] = useState(false);

  // Fall back to the first template until one is chosen (or if the chosen one is unknown).
  const templateId = templates.some((t) => t.id === chosen) ? chosen : (templates[0]?.id ?? null);
  const noTemplates = loaded && templates.length === 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (templateId === null) return;
    setRunning(true);
    try {
      const job = await client.request('jobs.run', { templateId, trigger: 'manual' });
      useJobs.getState().upsert(job);
    } catch (err) {
      reportError(err, 'Running the job failed');
    } finally {
      setRunning(false);
    }
  };

  return (
    <form className="card run-form" data-testid="run-job-form" onSubmit={submit}>
      <label className="field field-inline">
        <span className="field-label">Template</span>
        <select
          className="input"
          data-testid="run-template-select"
          value={templateId ?? ''}
          disabled={templates.length === 0}
          onChange={(e) => setChosen(Number(e.target.value))}
        >
          {templates.length === 0 && <option value="">{loaded ? 'No templates' : 'Loading…'}</option>}
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} — {t.image}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" data-testid="run-job-button" disabled={templateId === null || running}>
        {running ? 'Starting…' : 'Run job'}
      </button>
      {noTemplates && (
        <p className="hint" data-testid="run-job-hint">
          No templates yet. <a href="#/templates">Create a template</a> to run a job.
        </p>
      )}
    </form>
  );
}
