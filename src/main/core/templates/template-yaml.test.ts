import { describe, expect, it } from 'vitest';
import { secretMask, type Template } from '../../../shared/model';
import { plainTemplate } from '../../../../test/support/template-fields';
import { parseTemplatesYaml, templatesToYaml } from './template-yaml';

const full: Template = {
  id: 7,
  name: 'nightly-backup',
  image: 'registry.example/backup:1.2',
  command: ['sh', '-c', 'echo "it\'s: a #test" && exit 3'],
  entrypoint: ['/bin/tini', '--'],
  workingDir: '/work',
  user: '1000:1000',
  env: { MODE: 'full', EMPTY: '', MULTI: 'line one\nline two' },
  secretEnv: { API_TOKEN: secretMask },
  cpus: 1.5,
  memoryBytes: 256 * 1024 * 1024,
  pidsLimit: 100,
  network: 'bridge',
  volumes: ['backups:/data', '/etc/hosts:/etc/hosts:ro'],
  labels: { team: 'ops', 'com.example/tier': 'gold' },
  pullPolicy: 'never',
  hostId: 3,
  timeoutSeconds: 600,
  retry: { attempts: 3, on: ['failed', 'timed_out', 42], backoffSeconds: 10, factor: 2, maxBackoffSeconds: 360 },
  schedule: { cron: '0 30 2 * * *', timezone: 'Europe/Paris', enabled: true, concurrency: 'forbid', missed: 'run-once' },
  nextRuns: [1, 2, 3],
  logRetention: { maxAgeDays: 7 },
  createdAt: 1,
  updatedAt: 2,
};

const plain: Template = { ...plainTemplate('plain'), secretEnv: {}, retry: null, schedule: null, id: 8, nextRuns: [], createdAt: 1, updatedAt: 2 };

const hostNames = new Map([[3, 'build-box']]);
const hostName = (id: number) => hostNames.get(id) ?? null;
const hostIdOf = (name: string) => [...hostNames].find(([, n]) => n === name)?.[0];

/** What the template's fields are as written back (create's input): secrets left out, no read-only fields. */
function fieldsOf(t: Template) {
  const { id: _id, createdAt: _c, updatedAt: _u, nextRuns: _n, ...fields } = t;
  return { ...fields, secretEnv: {} };
}

describe('templates as YAML', () => {
  it('round-trips every field, the host by its name', () => {
    const text = templatesToYaml([full, plain], hostName);
    expect(text).toContain('host: build-box');
    expect(text).not.toContain('hostId');
    const entries = parseTemplatesYaml(text, hostIdOf);
    expect(entries.map((e) => e.error)).toEqual([null, null]);
    expect(entries[0]!.fields).toEqual(fieldsOf(full));
    expect(entries[1]!.fields).toEqual(fieldsOf(plain));
  });

  it('leaves secretEnv out altogether: no key, no mask', () => {
    const text = templatesToYaml([full], hostName);
    expect(text).not.toContain('secretEnv');
    expect(text).not.toContain('API_TOKEN');
    expect(text).not.toContain(secretMask);
  });

  it('answers each entry on its own, with the contract’s messages', () => {
    const text = [
      'templates:',
      '  - name: good',
      '    image: busybox',
      '  - name: bad-memory',
      '    image: busybox',
      '    memoryBytes: 12',
      '  - name: elsewhere',
      '    image: busybox',
      '    host: nowhere',
      '  - just a string',
      '  - image: busybox',
    ].join('\n');
    const entries = parseTemplatesYaml(text, hostIdOf);
    expect(entries.map((e) => [e.name, e.error === null])).toEqual([
      ['good', true],
      ['bad-memory', false],
      ['elsewhere', false],
      ['#4', false],
      ['#5', false],
    ]);
    expect(entries[1]!.error).toMatch(/^memoryBytes: .*6 MiB/);
    expect(entries[2]!.error).toMatch(/no host named 'nowhere'/);
    expect(entries[4]!.error).toMatch(/^name: /);
    // Defaults filled as the API fills them.
    expect(entries[0]!.fields).toMatchObject({ command: [], pullPolicy: 'if-missing', hostId: null, env: {}, secretEnv: {} });
  });

  it('takes an entry pasted from an API answer (read-only fields dropped) and a bare list', () => {
    const entries = parseTemplatesYaml(JSON.stringify([{ ...plain, hostId: null }]), hostIdOf);
    expect(entries[0]!.error).toBeNull();
    expect(entries[0]!.fields).toEqual(fieldsOf(plain));
  });

  it('refuses text that is not YAML or not a list of templates', () => {
    expect(() => parseTemplatesYaml('templates: [unclosed', hostIdOf)).toThrow(/yaml:/);
    expect(() => parseTemplatesYaml('name: x', hostIdOf)).toThrow(/templates:/);
  });
});
