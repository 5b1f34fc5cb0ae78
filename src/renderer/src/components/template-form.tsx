/**
 * The template editor: every field of the contract, creating a template or replacing one. The
 * common fields are always shown; Advanced, Retry and Schedule fold away. The server validates;
 * its "field: problem" messages are shown beside their fields (a folded section with one opens).
 */
import { useMemo, useState, type FormEvent } from 'react';
import { pullPolicies, type Template } from '../../../shared/model';
import { useClient } from '../client/client-context';
import { ClientError, errorMessage, isUnauthorized } from '../client/client-error';
import { useHosts } from '../state/hosts-store';
import { reportError } from '../state/report-error';
import { useTemplates } from '../state/templates-store';
import { useToasts } from '../state/toasts-store';
import { splitFieldMessages } from './templates/field-messages';
import { FieldErrors, FormField, FormSection } from './templates/form-field';
import { describeRetryDelays } from './templates/retry-delays';
import { SecretEnvEditor } from './templates/secret-env-editor';
import { blankDraft, draftFromTemplate, draftToInput, retryOutcomes, type SizeUnit, type TemplateDraft } from './templates/template-draft';

type SectionName = 'advanced' | 'retry' | 'schedule';

/** Which folded section shows each field, to open it when the server complains about the field. */
const sectionOf: Record<string, SectionName | undefined> = {
  entrypoint: 'advanced',
  workingDir: 'advanced',
  user: 'advanced',
  cpus: 'advanced',
  memoryBytes: 'advanced',
  pidsLimit: 'advanced',
  network: 'advanced',
  volumes: 'advanced',
  labels: 'advanced',
  pullPolicy: 'advanced',
  logRetention: 'advanced',
  retry: 'retry',
  schedule: 'schedule',
};
const formFields = new Set([
  'name',
  'image',
  'command',
  'env',
  'secretEnv',
  'hostId',
  'timeoutSeconds',
  ...Object.keys(sectionOf),
]);

const outcomeLabels = { failed: 'Non-zero exit', timed_out: 'Timed out', error: 'Could not start' } as const;

/** Local date and time of a due run. */
const localTime = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

interface TemplateFormProps {
  /** The template to edit; none: a new one. */
  template?: Template;
  /** The editor is closed (edit mode only). */
  onClose?: () => void;
}

export function TemplateForm({ template, onClose }: TemplateFormProps) {
  const client = useClient();
  const hosts = useHosts((s) => s.hosts);
  // The edited template as the store has it now (events keep it current: next runs after a save).
  const live = useTemplates((s) => (template ? s.templates.find((t) => t.id === template.id) : undefined)) ?? template;
  const [draft, setDraft] = useState<TemplateDraft>(() => (template ? draftFromTemplate(template) : blankDraft()));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<Template | null>(null);
  const [open, setOpen] = useState<Record<SectionName, boolean>>(() => ({
    advanced: false,
    retry: Boolean(template?.retry),
    schedule: Boolean(template?.schedule),
  }));
  const zones = useMemo(timeZones, []);

  const update = (patch: Partial<TemplateDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const text = (key: { [K in keyof TemplateDraft]: TemplateDraft[K] extends string ? K : never }[keyof TemplateDraft]) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => update({ [key]: e.target.value }),
  });
  const code = { spellCheck: false, autoCapitalize: 'off' } as const;

  const showErrors = (byField: Record<string, string[]>, messages: string[]) => {
    setFieldErrors(byField);
    setGeneral(messages);
    const toOpen = Object.keys(byField)
      .map((f) => sectionOf[f])
      .filter((s): s is SectionName => s !== undefined);
    if (toOpen.length) setOpen((o) => ({ ...o, ...Object.fromEntries(toOpen.map((s) => [s, true])) }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = draftToInput(draft);
    if (!result.ok) return showErrors(result.errors, []);
    setSaving(true);
    showErrors({}, []);
    try {
      const saved = template
        ? await client.request('templates.update', { id: template.id, ...result.input })
        : await client.request('templates.create', result.input);
      useTemplates.getState().upsert(saved);
      useToasts.getState().push('info', `Template “${saved.name}” ${template ? 'saved' : 'created'}`);
      if (template) {
        // Stored secrets come back as keys only; whatever was typed for them is forgotten.
        setDraft((d) => ({ ...d, secrets: draftFromTemplate(saved).secrets }));
      } else {
        setDraft(blankDraft());
        setCreated(saved);
      }
    } catch (err) {
      if (err instanceof ClientError && (err.code === 'bad_request' || err.code === 'conflict')) {
        const split = splitFieldMessages(err.message, formFields);
        showErrors(split.byField, split.general);
      } else if (isUnauthorized(err)) reportError(err);
      else {
        showErrors({}, [errorMessage(err)]);
        reportError(err, template ? 'Saving the template failed' : 'Creating the template failed');
      }
    } finally {
      setSaving(false);
    }
  };

  const sizeUnit = (value: SizeUnit, onChange: (unit: SizeUnit) => void, label: string) => (
    <select className="input input-unit" value={value} aria-label={label} onChange={(e) => onChange(e.target.value as SizeUnit)}>
      <option>MiB</option>
      <option>GiB</option>
    </select>
  );

  const retryPreview = () => {
    const policy = {
      attempts: Number(draft.retryAttempts) || 1,
      backoffSeconds: Number(draft.backoffSeconds || 10),
      factor: Number(draft.factor || 2),
      maxBackoffSeconds: Number(draft.maxBackoffSeconds || 360),
    };
    return Object.values(policy).every(Number.isFinite) ? describeRetryDelays(policy) : '—';
  };

  const nextRuns = (template ? live?.nextRuns : created?.nextRuns) ?? [];

  return (
    <form
      className="card form template-form"
      data-testid="template-form"
      data-mode={template ? 'edit' : 'create'}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <div className="template-form-head">
        <h2 className="card-title">{template ? `Edit “${template.name}”` : 'New template'}</h2>
        {onClose && (
          <button type="button" className="button button-ghost button-small" data-testid="template-close" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      {general.length > 0 && (
        <p className="form-error" data-testid="template-form-error" role="alert">
          {general.join('\n')}
        </p>
      )}
      <div className="form-grid">
        <FormField name="name" label="Name" errors={fieldErrors.name}>
          <input className="input" data-testid="template-name" placeholder="nightly-backup" required {...text('name')} />
        </FormField>
        <FormField name="image" label="Image" errors={fieldErrors.image}>
          <input className="input mono" data-testid="template-image" placeholder="alpine:3.20" required {...code} {...text('image')} />
        </FormField>
        <FormField name="command" label="Command" wide errors={fieldErrors.command} help="Split like a shell would. Leave empty to use the image's own command.">
          <input className="input mono" data-testid="template-command" placeholder={`sh -c 'echo hello; sleep 5'`} {...code} {...text('command')} />
        </FormField>
        <FormField name="env" label="Environment" wide errors={fieldErrors.env} help="One KEY=value per line; lines starting with # are ignored.">
          <textarea className="input mono" data-testid="template-env" rows={3} placeholder={'KEY=value\nOTHER=value'} {...code} {...text('env')} />
        </FormField>
        <div className="field field-wide" data-field="secretEnv">
          <span className="field-label">Secret environment</span>
          <SecretEnvEditor secrets={draft.secrets} onChange={(secrets) => update({ secrets })} />
          <span className="field-help">Given to the container only; shown as •••• everywhere else, and left out of exports.</span>
          <FieldErrors name="secretEnv" errors={fieldErrors.secretEnv} />
        </div>
        <FormField name="hostId" label="Host" errors={fieldErrors.hostId}>
          <select className="input" data-testid="template-host" {...text('hostId')}>
            <option value="">Least busy host</option>
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
                {h.enabled ? '' : ' (disabled)'}
              </option>
            ))}
          </select>
        </FormField>
        <FormField name="timeoutSeconds" label="Timeout (seconds)" errors={fieldErrors.timeoutSeconds} help="Stopped and marked timed out after this long; empty: no limit.">
          <input className="input" type="number" min={1} step={1} data-testid="template-timeout" {...text('timeoutSeconds')} />
        </FormField>
      </div>

      <FormSection title="Advanced" summary="entrypoint, user, limits, network, volumes, labels, pulls, log retention" open={open.advanced} onToggle={(o) => setOpen((s) => ({ ...s, advanced: o }))} testId="template-advanced">
        <FormField name="entrypoint" label="Entrypoint" errors={fieldErrors.entrypoint} help="Replaces the image's ENTRYPOINT; empty keeps it.">
          <input className="input mono" data-testid="template-entrypoint" {...code} {...text('entrypoint')} />
        </FormField>
        <FormField name="workingDir" label="Working directory" errors={fieldErrors.workingDir}>
          <input className="input mono" data-testid="template-working-dir" placeholder="/work" {...code} {...text('workingDir')} />
        </FormField>
        <FormField name="user" label="User" errors={fieldErrors.user} help="name, uid or uid:gid">
          <input className="input mono" data-testid="template-user" {...code} {...text('user')} />
        </FormField>
        <FormField name="cpus" label="CPUs" errors={fieldErrors.cpus} help="Cores, as docker run --cpus (0.5 is half a core).">
          <input className="input" type="number" min={0} step="any" data-testid="template-cpus" {...text('cpus')} />
        </FormField>
        <div className="field" data-field="memoryBytes">
          <span className="field-label">Memory</span>
          <div className="input-group">
            <input className="input" type="number" min={0} step="any" aria-label="Memory" data-testid="template-memory" {...text('memory')} />
            {sizeUnit(draft.memoryUnit, (memoryUnit) => update({ memoryUnit }), 'Memory unit')}
          </div>
          <FieldErrors name="memoryBytes" errors={fieldErrors.memoryBytes} />
        </div>
        <FormField name="pidsLimit" label="Process limit" errors={fieldErrors.pidsLimit}>
          <input className="input" type="number" min={1} step={1} data-testid="template-pids" {...text('pidsLimit')} />
        </FormField>
        <FormField name="network" label="Network" errors={fieldErrors.network} help="bridge, host, none or a network's name; empty: Docker's default.">
          <input className="input mono" data-testid="template-network" {...code} {...text('network')} />
        </FormField>
        <FormField name="pullPolicy" label="Pull the image" errors={fieldErrors.pullPolicy}>
          <select className="input" data-testid="template-pull-policy" value={draft.pullPolicy} onChange={(e) => update({ pullPolicy: e.target.value as TemplateDraft['pullPolicy'] })}>
            {pullPolicies.map((p) => (
              <option key={p} value={p}>
                {p === 'always' ? 'always' : p === 'if-missing' ? 'if missing' : 'never'}
              </option>
            ))}
          </select>
        </FormField>
        <FormField name="volumes" label="Volumes" wide errors={fieldErrors.volumes} help="One per line: name:/path or /host/path:/path, optionally :ro.">
          <textarea className="input mono" rows={2} data-testid="template-volumes" placeholder={'data:/data\n/srv/in:/in:ro'} {...code} {...text('volumes')} />
        </FormField>
        <FormField name="labels" label="Labels" wide errors={fieldErrors.labels} help="One key=value per line.">
          <textarea className="input mono" rows={2} data-testid="template-labels" {...code} {...text('labels')} />
        </FormField>
        <div className="field" data-field="logRetention">
          <span className="field-label">Keep logs for (days)</span>
          <input className="input" type="number" min={1} step={1} data-testid="template-retention-days" placeholder="global setting" {...text('retentionDays')} />
        </div>
        <div className="field">
          <span className="field-label">Keep at most</span>
          <div className="input-group">
            <input className="input" type="number" min={1} step="any" aria-label="Log size" placeholder="global setting" data-testid="template-retention-size" {...text('retentionSize')} />
            {sizeUnit(draft.retentionUnit, (retentionUnit) => update({ retentionUnit }), 'Log size unit')}
          </div>
          <FieldErrors name="logRetention" errors={fieldErrors.logRetention} />
        </div>
      </FormSection>

      <FormSection title="Retry" summary={draft.retry ? `${draft.retryAttempts || 1} attempts` : 'off'} open={open.retry} onToggle={(o) => setOpen((s) => ({ ...s, retry: o }))} testId="template-retry">
        <label className="check field-wide">
          <input type="checkbox" checked={draft.retry} data-testid="template-retry-enabled" onChange={(e) => update({ retry: e.target.checked })} />
          Retry failed runs
        </label>
        {draft.retry && (
          <>
            <FormField name="retryAttempts" label="Attempts (the first included)">
              <input className="input" type="number" min={1} max={100} step={1} data-testid="template-retry-attempts" {...text('retryAttempts')} />
            </FormField>
            <div className="field">
              <span className="field-label">Retry when</span>
              <div className="check-row">
                {retryOutcomes.map((o) => (
                  <label key={o} className="check">
                    <input
                      type="checkbox"
                      checked={draft.retryOn[o]}
                      data-testid={`template-retry-on-${o}`}
                      onChange={(e) => update({ retryOn: { ...draft.retryOn, [o]: e.target.checked } })}
                    />
                    {outcomeLabels[o]}
                  </label>
                ))}
              </div>
            </div>
            <FormField name="retryExitCodes" label="Or on these exit codes" help="Comma-separated, e.g. 75, 111">
              <input className="input mono" data-testid="template-retry-codes" {...code} {...text('retryExitCodes')} />
            </FormField>
            <FormField name="backoffSeconds" label="First wait (seconds)">
              <input className="input" type="number" min={0} step="any" data-testid="template-retry-backoff" {...text('backoffSeconds')} />
            </FormField>
            <FormField name="factor" label="Then multiplied by">
              <input className="input" type="number" min={1} step="any" data-testid="template-retry-factor" {...text('factor')} />
            </FormField>
            <FormField name="maxBackoffSeconds" label="Longest wait (seconds)">
              <input className="input" type="number" min={0} step="any" data-testid="template-retry-max" {...text('maxBackoffSeconds')} />
            </FormField>
            <p className="field-help field-wide" data-testid="template-retry-delays">
              Waits between attempts: {retryPreview()}
            </p>
          </>
        )}
        <FieldErrors name="retry" errors={fieldErrors.retry} wide />
      </FormSection>

      <FormSection title="Schedule" summary={draft.schedule ? draft.cron : 'none'} open={open.schedule} onToggle={(o) => setOpen((s) => ({ ...s, schedule: o }))} testId="template-schedule">
        <label className="check field-wide">
          <input type="checkbox" checked={draft.schedule} data-testid="template-schedule-on" onChange={(e) => update({ schedule: e.target.checked })} />
          Run on a schedule
        </label>
        {draft.schedule && (
          <>
            <FormField name="cron" label="Cron" help="5 fields, or 6 with seconds first (*/30 * * * * * is every 30 s); @hourly, @daily…">
              <input className="input mono" data-testid="template-cron" {...code} {...text('cron')} />
            </FormField>
            <FormField name="timezone" label="Time zone">
              <input className="input" list="berth-time-zones" data-testid="template-timezone" {...code} {...text('timezone')} />
              <datalist id="berth-time-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </FormField>
            <FormField name="concurrency" label="When a run is due while one still runs">
              <select className="input" data-testid="template-concurrency" value={draft.concurrency} onChange={(e) => update({ concurrency: e.target.value as TemplateDraft['concurrency'] })}>
                <option value="forbid">skip the new run (forbid)</option>
                <option value="allow">run both (allow)</option>
                <option value="replace">cancel the old run (replace)</option>
              </select>
            </FormField>
            <FormField name="missed" label="Runs missed while Berth was down">
              <select className="input" data-testid="template-missed" value={draft.missed} onChange={(e) => update({ missed: e.target.value as TemplateDraft['missed'] })}>
                <option value="skip">skip them</option>
                <option value="run-once">run once</option>
              </select>
            </FormField>
            <label className="check field-wide">
              <input type="checkbox" checked={draft.scheduleEnabled} data-testid="template-schedule-enabled" onChange={(e) => update({ scheduleEnabled: e.target.checked })} />
              Enabled
            </label>
          </>
        )}
        <FieldErrors name="schedule" errors={fieldErrors.schedule} wide />
      </FormSection>

      {nextRuns.length > 0 && (
        <div className="field-wide next-runs" data-testid="template-next-runs">
          <span className="field-label">Next runs{created && !template ? ` of “${created.name}”` : ''} (local time)</span>
          <ol>
            {nextRuns.map((t) => (
              <li key={t}>
                <time dateTime={new Date(t).toISOString()}>{localTime(t)}</time>
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="template-submit" disabled={saving}>
          {template ? (saving ? 'Saving…' : 'Save template') : saving ? 'Creating…' : 'Create template'}
        </button>
      </div>
    </form>
  );
}
