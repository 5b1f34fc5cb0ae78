import { describe, expect, it } from 'vitest';
import { secretMask, type Template } from '../../../../shared/model';
import { blankDraft, draftFromTemplate, draftToInput } from './template-draft';

const stored: Template = {
  id: 7,
  name: 'backup',
  image: 'busybox',
  command: ['sh', '-c', 'echo "a b"'],
  entrypoint: null,
  workingDir: '/work',
  user: '1000',
  env: { A: '1', B: 'x=y' },
  secretEnv: { TOKEN: secretMask },
  cpus: 0.5,
  memoryBytes: 512 * 1024 * 1024,
  pidsLimit: 64,
  network: 'none',
  volumes: ['data:/data', '/tmp:/host:ro'],
  labels: { team: 'ops' },
  pullPolicy: 'never',
  hostId: 2,
  timeoutSeconds: 30,
  retry: { attempts: 3, on: ['failed', 7], backoffSeconds: 5, factor: 2, maxBackoffSeconds: 60 },
  schedule: { cron: '*/2 * * * * *', timezone: 'Europe/Berlin', enabled: false, concurrency: 'replace', missed: 'run-once' },
  nextRuns: [],
  logRetention: { maxAgeDays: 3, maxBytes: 2 * 1024 ** 3 },
  createdAt: 0,
  updatedAt: 0,
};

describe('template draft', () => {
  it('round-trips every field of a stored template, sending the mask for a secret left alone', () => {
    const result = draftToInput(draftFromTemplate(stored));
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'backup',
        image: 'busybox',
        command: `sh -c 'echo "a b"'`,
        entrypoint: null,
        workingDir: '/work',
        user: '1000',
        env: ['A=1', 'B=x=y'],
        secretEnv: { TOKEN: secretMask },
        cpus: 0.5,
        memoryBytes: 512 * 1024 * 1024,
        pidsLimit: 64,
        network: 'none',
        volumes: ['data:/data', '/tmp:/host:ro'],
        labels: { team: 'ops' },
        pullPolicy: 'never',
        hostId: 2,
        timeoutSeconds: 30,
        retry: { attempts: 3, on: ['failed', 7], backoffSeconds: 5, factor: 2, maxBackoffSeconds: 60 },
        schedule: { cron: '*/2 * * * * *', timezone: 'Europe/Berlin', enabled: false, concurrency: 'replace', missed: 'run-once' },
        logRetention: { maxAgeDays: 3, maxBytes: 2 * 1024 ** 3 },
      },
    });
  });

  it('never keeps what the server sent as a secret value; a replaced one sends what was typed, a removed one nothing', () => {
    const draft = draftFromTemplate({ ...stored, secretEnv: { TOKEN: secretMask, OLD: secretMask } });
    expect(draft.secrets.map((s) => s.value)).toEqual(['', '']);
    draft.secrets = [
      { ...draft.secrets[0]!, replacing: true, value: 'new-value' },
      { key: 'FRESH', stored: false, replacing: false, value: 's3' },
    ];
    const result = draftToInput(draft);
    expect(result.ok && result.input.secretEnv).toEqual({ TOKEN: 'new-value', FRESH: 's3' });
  });

  it('leaves optional fields null and sends no retry or schedule when they are off', () => {
    const result = draftToInput({ ...blankDraft(), name: 'n', image: 'i' });
    expect(result.ok && result.input).toMatchObject({
      entrypoint: null,
      workingDir: null,
      cpus: null,
      memoryBytes: null,
      hostId: null,
      retry: null,
      schedule: null,
      logRetention: {},
      volumes: [],
    });
  });

  it('names labels and exit codes it cannot read, by field', () => {
    const result = draftToInput({ ...blankDraft(), labels: 'ok=1\nnope', retry: true, retryExitCodes: '3, x' });
    expect(result).toEqual({
      ok: false,
      errors: { labels: ["line 2: each line must look like 'key=value'"], retry: ['exit codes are whole numbers from 0 to 255; not x'] },
    });
  });

  it('converts memory in GiB to bytes and passes unreadable numbers on for the server to name', () => {
    const result = draftToInput({ ...blankDraft(), memory: '1.5', memoryUnit: 'GiB', pidsLimit: 'lots' });
    expect(result.ok && result.input.memoryBytes).toBe(1.5 * 1024 ** 3);
    expect(result.ok && result.input.pidsLimit).toBe('lots');
  });
});
