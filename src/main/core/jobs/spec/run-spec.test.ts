import { describe, expect, it } from 'vitest';
import { runSpec } from '../../../../../test/support/run-spec';
import { secretMask, type RunSpec } from '../../../../shared/model';
import type { StoredTemplate } from '../../store/template-repository';
import { containerCreateOptions, resolveRunSpec } from './run-spec';

const spec = (over: Partial<RunSpec> = {}): RunSpec => runSpec({ image: 'busybox:1', command: ['sh', '-c', 'echo hi'], ...over });

const extra = { name: 'berth-x-job-1', labels: { 'berth.job': '1', 'berth.instance': 'abc' } };

describe('containerCreateOptions', () => {
  it('applies every limit and run field of the spec', () => {
    const options = containerCreateOptions(
      spec({
        entrypoint: ['/bin/sh', '-c'],
        command: ['echo $A'],
        workingDir: '/work',
        user: '1000:1000',
        env: { A: '1', B: 'two words' },
        cpus: 1.5,
        memoryBytes: 256 * 1024 ** 2,
        pidsLimit: 64,
        network: 'none',
        volumes: ['cache:/cache', '/srv/data:/data:ro'],
        labels: { team: 'ops' },
      }),
      {},
      extra,
    );
    expect(options).toMatchObject({
      name: 'berth-x-job-1',
      Image: 'busybox:1',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo $A'],
      WorkingDir: '/work',
      User: '1000:1000',
      Env: ['A=1', 'B=two words'],
      Labels: { team: 'ops', 'berth.job': '1', 'berth.instance': 'abc' },
      HostConfig: {
        NanoCpus: 1_500_000_000,
        Memory: 256 * 1024 ** 2,
        PidsLimit: 64,
        NetworkMode: 'none',
        Binds: ['cache:/cache', '/srv/data:/data:ro'],
        LogConfig: { Type: 'json-file', Config: {} },
      },
    });
  });

  it('leaves unset fields to the image and Docker’s defaults', () => {
    const options = containerCreateOptions(spec({ command: [] }), {}, extra);
    expect(options.Cmd).toBeUndefined();
    expect(options.Entrypoint).toBeUndefined();
    expect(options.WorkingDir).toBeUndefined();
    expect(options.User).toBeUndefined();
    expect(options.HostConfig).toEqual({ LogConfig: { Type: 'json-file', Config: {} } });
  });

  it('rounds fractional CPUs to whole nano-CPUs', () => {
    expect(containerCreateOptions(spec({ cpus: 0.3333333333 }), {}, extra).HostConfig?.NanoCpus).toBe(333_333_333);
  });

  it('puts secret values only into the container env, never the mask', () => {
    const options = containerCreateOptions(spec({ env: { A: '1' }, secretEnv: { TOKEN: secretMask } }), { TOKEN: 's3cr3t', OTHER: 'unused' }, extra);
    expect(options.Env).toEqual(['A=1', 'TOKEN=s3cr3t']);
    expect(JSON.stringify(options)).not.toContain(secretMask);
    // A secret the spec does not name is not given to the container.
    expect(JSON.stringify(options)).not.toContain('unused');
  });

  it('refuses a secret whose value is gone, naming it', () => {
    expect(() => containerCreateOptions(spec({ secretEnv: { TOKEN: secretMask } }), {}, extra)).toThrow(/secret TOKEN has no value/);
  });

  it('keeps Berth’s own labels over the template’s', () => {
    const options = containerCreateOptions(spec({ labels: { 'berth.job': '999', team: 'ops' } }), {}, extra);
    expect(options.Labels).toEqual({ 'berth.job': '1', 'berth.instance': 'abc', team: 'ops' });
  });
});

describe('resolveRunSpec', () => {
  const template = {
    ...spec({ env: { A: '1' }, secretEnv: { TOKEN: secretMask, KEY: secretMask }, timeoutSeconds: 30 }),
    id: 1,
    name: 't',
    hostId: null,
    retry: null,
    schedule: null,
    logRetention: {},
    createdAt: 0,
    updatedAt: 0,
    deletedAt: null,
  } satisfies StoredTemplate;

  it('takes the template as it is without overrides, secrets masked', () => {
    const resolved = resolveRunSpec(template);
    expect(resolved).toMatchObject({ env: { A: '1' }, secretEnv: { TOKEN: secretMask, KEY: secretMask }, timeoutSeconds: 30, command: ['sh', '-c', 'echo hi'] });
  });

  it('lays a run’s env, command and timeout over the template; an env key replaces a secret of that name', () => {
    const resolved = resolveRunSpec(template, { env: { B: '2', TOKEN: 'plain' }, command: ['true'], timeoutSeconds: 5 });
    expect(resolved.env).toEqual({ A: '1', B: '2', TOKEN: 'plain' });
    expect(resolved.secretEnv).toEqual({ KEY: secretMask });
    expect(resolved.command).toEqual(['true']);
    expect(resolved.timeoutSeconds).toBe(5);
  });
});
