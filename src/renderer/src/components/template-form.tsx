import { useState, type FormEvent } from 'react';
import { useClient } from '../client/client-context';
import { ClientError, errorMessage, isUnauthorized } from '../client/client-error';
import { envLines } from '../lib/env-lines';
import { reportError } from '../state/report-error';
import { useTemplates } from '../state/templates-store';
import { useToasts } from '../state/toasts-store';

const blank = { name: '', image: '', command: '', env: '' };

export function TemplateForm() {
  const client = useClient();
  const [fields, setFields] = useState(blank);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = (key: keyof typeof blank) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      // The server splits the command like a shell and validates everything; its message is shown as is.
      const template = await client.request('templates.create', {
        name: fields.name,
        image: fields.image,
        command: fields.command,
        env: envLines(fields.env),
      });
      useTemplates.getState().upsert(template);
      useToasts.getState().push('info', `Template “${template.name}” created`);
      setFields(blank);
    } catch (err) {
      if (err instanceof ClientError && err.code === 'bad_request') setError(err.message);
      else if (isUnauthorized(err)) reportError(err);
      else {
        setError(errorMessage(err));
        reportError(err, 'Creating the template failed');
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card form" data-testid="template-form" onSubmit={submit} noValidate>
      <h2 className="card-title">New template</h2>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" data-testid="template-name" value={fields.name} onChange={set('name')} placeholder="nightly-backup" required />
        </label>
        <label className="field">
          <span className="field-label">Image</span>
          <input
            className="input mono"
            data-testid="template-image"
            value={fields.image}
            onChange={set('image')}
            placeholder="alpine:3.20"
            spellCheck={false}
            autoCapitalize="off"
            required
          />
        </label>
        <label className="field field-wide">
          <span className="field-label">Command</span>
          <input
            className="input mono"
            data-testid="template-command"
            value={fields.command}
            onChange={set('command')}
            placeholder={`sh -c 'echo hello; sleep 5'`}
            spellCheck={false}
            autoCapitalize="off"
          />
          <span className="field-help">Split like a shell would. Leave empty to use the image's own command.</span>
        </label>
        <label className="field field-wide">
          <span className="field-label">Environment</span>
          <textarea
            className="input mono"
            data-testid="template-env"
            value={fields.env}
            onChange={set('env')}
            rows={4}
            placeholder={'KEY=value\nOTHER=value'}
            spellCheck={false}
            autoCapitalize="off"
          />
          <span className="field-help">One KEY=value per line; lines starting with # are ignored.</span>
        </label>
      </div>
      {error && (
        <p className="form-error" data-testid="template-form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="template-submit" disabled={saving}>
          {saving ? 'Creating…' : 'Create template'}
        </button>
      </div>
    </form>
  );
}
