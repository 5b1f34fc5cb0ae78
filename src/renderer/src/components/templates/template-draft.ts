/**
 * The template editor's state: every field as the person types it (text, lines, checkboxes), made
 * from a stored Template and turned back into the contract's input. Only shapes are checked here;
 * the server validates, and its messages are shown beside the fields (field-messages.ts).
 *
 * Secrets: a stored secret is only ever known by its key (the server sends the mask). Unless the
 * person replaces it, the mask is sent back, which tells the server to keep the stored value.
 */
import type { RequestInput } from '../../../../shared/contract';
import { secretMask, type PullPolicy, type Template } from '../../../../shared/model';
import { joinShellWords } from '../../../../shared/shell-words';
import { envLines } from '../../lib/env-lines';

export type SizeUnit = 'MiB' | 'GiB';
export type RetryOutcome = 'failed' | 'timed_out' | 'error';
export const retryOutcomes: readonly RetryOutcome[] = ['failed', 'timed_out', 'error'];

/** A stored secret (kept unless replaced) or a new one; `value` is only ever what was typed here. */
export interface SecretDraft {
  key: string;
  stored: boolean;
  /** For a stored secret: the person chose to type a new value. */
  replacing: boolean;
  value: string;
}

export interface TemplateDraft {
  name: string;
  image: string;
  command: string;
  entrypoint: string;
  workingDir: string;
  user: string;
  env: string;
  secrets: SecretDraft[];
  cpus: string;
  memory: string;
  memoryUnit: SizeUnit;
  pidsLimit: string;
  network: string;
  volumes: string;
  labels: string;
  pullPolicy: PullPolicy;
  /** '' for the least busy host that is up. */
  hostId: string;
  timeoutSeconds: string;
  retry: boolean;
  retryAttempts: string;
  retryOn: Record<RetryOutcome, boolean>;
  retryExitCodes: string;
  backoffSeconds: string;
  factor: string;
  maxBackoffSeconds: string;
  schedule: boolean;
  cron: string;
  timezone: string;
  scheduleEnabled: boolean;
  concurrency: 'forbid' | 'allow' | 'replace';
  missed: 'skip' | 'run-once';
  retentionDays: string;
  retentionSize: string;
  retentionUnit: SizeUnit;
}

const mib = 1024 * 1024;
const gib = 1024 * mib;

/** The browser's own zone: what a person means by "9 o'clock". */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function blankDraft(): TemplateDraft {
  return {
    name: '',
    image: '',
    command: '',
    entrypoint: '',
    workingDir: '',
    user: '',
    env: '',
    secrets: [],
    cpus: '',
    memory: '',
    memoryUnit: 'MiB',
    pidsLimit: '',
    network: '',
    volumes: '',
    labels: '',
    pullPolicy: 'if-missing',
    hostId: '',
    timeoutSeconds: '',
    retry: false,
    retryAttempts: '3',
    retryOn: { failed: true, timed_out: true, error: true },
    retryExitCodes: '',
    backoffSeconds: '10',
    factor: '2',
    maxBackoffSeconds: '360',
    schedule: false,
    cron: '0 0 * * * *',
    timezone: localTimeZone(),
    scheduleEnabled: true,
    concurrency: 'forbid',
    missed: 'skip',
    retentionDays: '',
    retentionSize: '',
    retentionUnit: 'MiB',
  };
}

function toSize(bytes: number | null | undefined): { value: string; unit: SizeUnit } {
  if (bytes == null) return { value: '', unit: 'MiB' };
  if (bytes % gib === 0) return { value: String(bytes / gib), unit: 'GiB' };
  return { value: String(Math.round((bytes / mib) * 1000) / 1000), unit: 'MiB' };
}

const pairLines = (record: Record<string, string>) =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

const text = (v: number | string | null | undefined) => (v == null ? '' : String(v));

export function draftFromTemplate(t: Template): TemplateDraft {
  const memory = toSize(t.memoryBytes);
  const retention = toSize(t.logRetention.maxBytes);
  const base = blankDraft();
  return {
    ...base,
    name: t.name,
    image: t.image,
    command: joinShellWords(t.command),
    entrypoint: t.entrypoint ? joinShellWords(t.entrypoint) : '',
    workingDir: text(t.workingDir),
    user: text(t.user),
    env: pairLines(t.env),
    // Keys only: whatever the server sent as the value (the mask) is never kept.
    secrets: Object.keys(t.secretEnv).map((key) => ({ key, stored: true, replacing: false, value: '' })),
    cpus: text(t.cpus),
    memory: memory.value,
    memoryUnit: memory.unit,
    pidsLimit: text(t.pidsLimit),
    network: text(t.network),
    volumes: t.volumes.join('\n'),
    labels: pairLines(t.labels),
    pullPolicy: t.pullPolicy,
    hostId: text(t.hostId),
    timeoutSeconds: text(t.timeoutSeconds),
    ...(t.retry && {
      retry: true,
      retryAttempts: String(t.retry.attempts),
      retryOn: {
        failed: t.retry.on.includes('failed'),
        timed_out: t.retry.on.includes('timed_out'),
        error: t.retry.on.includes('error'),
      },
      retryExitCodes: t.retry.on.filter((o): o is number => typeof o === 'number').join(', '),
      backoffSeconds: String(t.retry.backoffSeconds),
      factor: String(t.retry.factor),
      maxBackoffSeconds: String(t.retry.maxBackoffSeconds),
    }),
    ...(t.schedule && {
      schedule: true,
      cron: t.schedule.cron,
      timezone: t.schedule.timezone,
      scheduleEnabled: t.schedule.enabled,
      concurrency: t.schedule.concurrency,
      missed: t.schedule.missed,
    }),
    retentionDays: text(t.logRetention.maxAgeDays),
    retentionSize: retention.value,
    retentionUnit: retention.unit,
  };
}

export type TemplateInput = RequestInput<'templates.create'>;

/** The input to send, or the problems found before sending (by field, as the server names them). */
export type DraftResult = { ok: true; input: TemplateInput } | { ok: false; errors: Record<string, string[]> };

/** Text of a number field: empty is null; digits become a number; anything else goes as typed, for the server to name. */
function num(value: string): number | string | null {
  const t = value.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

export function draftToInput(d: TemplateDraft): DraftResult {
  const errors: Record<string, string[]> = {};
  const problem = (field: string, message: string) => (errors[field] ??= []).push(message);

  const labels: Record<string, string> = {};
  d.labels.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    if (eq <= 0) problem('labels', `line ${i + 1}: each line must look like 'key=value'`);
    else labels[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });

  const secretEnv: Record<string, string> = {};
  for (const s of d.secrets) {
    const key = s.key.trim();
    if (!key) {
      if (s.value) problem('secretEnv', 'a secret needs a name');
      continue;
    }
    if (key in secretEnv) problem('secretEnv', `${key}: given twice`);
    secretEnv[key] = s.stored && !s.replacing ? secretMask : s.value;
  }

  const memory = num(d.memory);
  const retentionSize = num(d.retentionSize);
  const bytes = (v: number | string | null, unit: SizeUnit) => (typeof v === 'number' ? Math.round(v * (unit === 'GiB' ? gib : mib)) : v);

  let retry: TemplateInput['retry'] = null;
  if (d.retry) {
    const codes = d.retryExitCodes
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((c) => (/^\d+$/.test(c) ? Number(c) : c));
    const bad = codes.filter((c) => typeof c !== 'number' || c > 255);
    if (bad.length) problem('retry', `exit codes are whole numbers from 0 to 255; not ${bad.join(', ')}`);
    const on = [...retryOutcomes.filter((o) => d.retryOn[o]), ...codes.filter((c): c is number => typeof c === 'number')];
    retry = {
      on,
      ...(num(d.retryAttempts) !== null && { attempts: num(d.retryAttempts) }),
      ...(num(d.backoffSeconds) !== null && { backoffSeconds: num(d.backoffSeconds) as number }),
      ...(num(d.factor) !== null && { factor: num(d.factor) as number }),
      ...(num(d.maxBackoffSeconds) !== null && { maxBackoffSeconds: num(d.maxBackoffSeconds) as number }),
    };
  }

  const retentionDays = num(d.retentionDays);
  const retentionBytes = bytes(retentionSize, d.retentionUnit);
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: d.name,
      image: d.image,
      // Split like a shell by the server, so its message points at an unbalanced quote.
      command: d.command,
      entrypoint: d.entrypoint.trim() === '' ? null : d.entrypoint,
      workingDir: orNull(d.workingDir),
      user: orNull(d.user),
      env: envLines(d.env),
      secretEnv,
      cpus: num(d.cpus) as number | null,
      memoryBytes: bytes(memory, d.memoryUnit),
      pidsLimit: num(d.pidsLimit),
      network: orNull(d.network),
      volumes: d.volumes
        .split('\n')
        .map((v) => v.trim())
        .filter(Boolean),
      labels,
      pullPolicy: d.pullPolicy,
      hostId: d.hostId === '' ? null : Number(d.hostId),
      timeoutSeconds: num(d.timeoutSeconds),
      retry,
      schedule: d.schedule
        ? {
            cron: d.cron,
            ...(d.timezone.trim() && { timezone: d.timezone.trim() }),
            enabled: d.scheduleEnabled,
            concurrency: d.concurrency,
            missed: d.missed,
          }
        : null,
      logRetention: {
        ...(retentionDays !== null && { maxAgeDays: retentionDays }),
        ...(retentionBytes !== null && { maxBytes: retentionBytes }),
      },
    },
  };
}
