import { describe, expect, it } from 'vitest';
import { runSpec } from '../../test/support/run-spec';
import { dockerRunCommand, shellQuote } from './docker-run';
import { secretMask } from './model';

const spec = runSpec;

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('busybox:1.36')).toBe('busybox:1.36');
    expect(shellQuote('/data:/data:ro')).toBe('/data:/data:ro');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('two words')).toBe("'two words'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('dockerRunCommand', () => {
  it('is the plain command for a plain spec', () => {
    expect(dockerRunCommand(spec())).toBe('docker run --rm busybox');
  });

  it('passes every secret as "$NAME", never its value or the mask', () => {
    const line = dockerRunCommand(spec({ env: { A: 'x y' }, secretEnv: { TOKEN: secretMask, DB_PASS: secretMask } }));
    expect(line).toBe(`docker run --rm -e 'A=x y' -e "TOKEN=$TOKEN" -e "DB_PASS=$DB_PASS" busybox`);
    expect(line).not.toContain(secretMask);
  });

  it('spells every field as docker run does, quoting what the shell would split or expand', () => {
    const line = dockerRunCommand(
      spec({
        image: 'registry.example/app:1',
        entrypoint: ['/bin/sh', '-c'],
        command: ['echo "$A" && ls'],
        workingDir: '/my dir',
        user: '1000:1000',
        cpus: 0.5,
        memoryBytes: 268435456,
        pidsLimit: 100,
        network: 'none',
        volumes: ['cache:/cache', '/srv/my data:/data:ro'],
        labels: { team: 'ops & dev' },
        pullPolicy: 'always',
      }),
      { name: 'job 7' },
    );
    expect(line).toBe(
      [
        "docker run --rm --name 'job 7' --pull=always --entrypoint /bin/sh -w '/my dir' -u 1000:1000",
        '--cpus=0.5 --memory=268435456b --pids-limit=100 --network=none',
        "-v cache:/cache -v '/srv/my data:/data:ro' -l 'team=ops & dev'",
        `registry.example/app:1 -c 'echo "$A" && ls'`,
      ].join(' '),
    );
  });

  it('says --pull=never, and nothing for the default if-missing', () => {
    expect(dockerRunCommand(spec({ pullPolicy: 'never' }))).toBe('docker run --rm --pull=never busybox');
  });

  it('resets the image’s entrypoint with an empty one', () => {
    expect(dockerRunCommand(spec({ entrypoint: [], command: ['true'] }))).toBe("docker run --rm --entrypoint '' busybox true");
  });
});
