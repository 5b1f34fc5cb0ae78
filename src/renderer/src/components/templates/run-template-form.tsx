import { useState, type FormEvent } from 'react';
import type { Template } from '../../../../shared/model';
import { joinShellWords } from '../../../../shared/shell-words';
import { useClient } from '../../client/client-context';
import { envLines } from '../../lib/env-lines';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useHosts } from '../../state/hosts-store';
import { useToasts } from '../../state/toasts-store';
import { FormFooter } from '../form-footer';

interface RunTemplateFormProps {
  template: Template;
  onDone(): void;
}

/** Runs a template once with per-run overrides: the host, env added on top, another command. */
export function RunTemplateForm({ template, onDone }: RunTemplateFormProps) {
  const client = useClient();
  const hosts = useHosts((s) => s.hosts);
  const [hostId, setHostId] = useState('');
  const [command, setCommand] = useState('');
  const [env, setEnv] = useState('');
  const { error, busy: running, run } = useFormSubmit('Running the job failed');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const lines = envLines(env);
      const job = await client.request('jobs.run', {
        templateId: template.id,
        trigger: 'manual',
        ...(hostId && { hostId: Number(hostId) }),
        ...(command.trim() && { command }),
        ...(lines.length > 0 && { env: lines }),
      });
      useToasts.getState().push('info', `Job ${job.id} queued from “${template.name}”`);
      onDone();
    });
  };

  return (
    <form className="run-overrides" data-testid="template-run-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Host</span>
          <select className="input" value={hostId} onChange={(e) => setHostId(e.target.value)} data-testid="template-run-host">
            <option value="">{template.hostId !== null ? "The template's host" : 'Least busy host'}</option>
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Command</span>
          <input
            className="input mono"
            value={command}
            onChange={(e) => setCommand(e.target.value)}
            placeholder={template.command.length ? joinShellWords(template.command) : "the image's command"}
            spellCheck={false}
            autoCapitalize="off"
            data-testid="template-run-command"
          />
        </label>
        <label className="field field-wide">
          <span className="field-label">Extra environment</span>
          <textarea
            className="input mono"
            rows={2}
            value={env}
            onChange={(e) => setEnv(e.target.value)}
            placeholder="KEY=value (added to the template's, or replacing a value)"
            spellCheck={false}
            autoCapitalize="off"
            data-testid="template-run-env"
          />
        </label>
      </div>
      <FormFooter error={error} errorTestId="template-run-error" onCancel={onDone} busy={running} label="Run" busyLabel="Queueing…" submitTestId="template-run-submit" />
    </form>
  );
}

