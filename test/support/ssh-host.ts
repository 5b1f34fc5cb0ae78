// The SSH test host (scripts/test-env.sh starts its sshd) and ssh-agents for the tests: Berth
// reaches SSH hosts only through the agent named by SSH_AUTH_SOCK, as the docker CLI does.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from './test-env';

export function sshHost(): NonNullable<ReturnType<typeof testEnv>['sshHost']> {
  const host = testEnv().sshHost;
  if (!host) throw new Error(`the SSH test host is not available: ${testEnv().sshProblem ?? 'no reason recorded'}`);
  return host;
}

export interface SshAgent {
  /** For SSH_AUTH_SOCK. */
  socket: string;
  stop(): Promise<void>;
}

/** An ssh-agent of the test's own (in the foreground, so it dies with stop()) holding `keys`. */
export async function startSshAgent(keys: string[]): Promise<SshAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-agent-'));
  const socket = join(dir, 'agent.sock');
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('ssh-agent did not open its socket');
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const key of keys) execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' });
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, stop };
}

/** A fresh ed25519 key that no sshd here authorizes. */
export function strangerKey(): { key: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-stranger-'));
  const key = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', key], { stdio: 'pipe' });
  return { key, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
