import { chmodSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { BerthError } from '../../shared/errors';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const appName = 'Berth';

/**
 * The platform's app-data folder for Berth: the same place Electron's `userData` points to,
 * so the desktop app and `berth serve` share one store.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', appName);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), appName);
}

/** Creates the data directory if needed and keeps it private: it holds the API token and every job's output. */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export const lockFile = 'berth.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the data directory for this process: two Berths on one store would run every job's
 * bookkeeping twice (the desktop app and `berth serve` share the default directory). A lock left
 * by a process that is gone is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, lockFile);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
        throw new BerthError(
          'conflict',
          `Berth is already running with the data directory ${dir} (process ${pid}); stop it first, or choose another directory with --data-dir. If no Berth is running, delete ${file}.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new BerthError('conflict', `could not claim ${file}`);
}
