import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli-run';
import { usage } from './cli';
import { version } from './core/version';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const { code, stdout, stderr } = await runCli(argv, env);
  return { code, out: stdout, err: stderr };
}

describe('berth', () => {
  it('lists its commands, logs among them', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toBe(`${usage}\n`);
    for (const command of ['serve', 'logs', 'token', 'login-url']) expect(usage).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect((await run([])).code).toBe(1);
  });

  it('shows a command\'s own help', async () => {
    for (const argv of [['logs', '--help'], ['help', 'logs'], ['--port', '7421', 'logs', '-h']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/^Usage: berth logs \[options\] <jobId\|container>/);
    }
    expect((await run(['serve', '--help'])).out).toMatch(/^Usage: berth serve/);
  });

  it('prints its version', async () => {
    expect(await run(['-v'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('answers wrong use with exit code 2 and the usage text', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(`berth: unknown command 'frobnicate'\n\n${usage}\n`);
    const bad = await run(['logs', '--tail']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^berth: --tail needs a value\n\nUsage: berth logs/);
    const port = await run(['logs', '7', '--port', 'x']);
    expect(port.code).toBe(2);
    expect(port.err).toMatch(/--port must be a number from 1 to 65535, not 'x'/);
    const envPort = await run(['logs', '7'], { BERTH_PORT: '99999' });
    expect(envPort.err).toMatch(/BERTH_PORT must be a number/);
  });

  it('does not make a token up for logs: no token means Berth never ran there', async () => {
    const r = await run(['logs', '7', '--data-dir', '/nonexistent/berth-data']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^berth: no API token in \/nonexistent\/berth-data: Berth has never run with this data directory/);
  });
});
