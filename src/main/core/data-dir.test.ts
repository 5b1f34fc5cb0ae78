import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir, ensureDataDir, lockDataDir, lockFile } from './data-dir';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-datadir-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('defaultDataDir', () => {
  it("is the platform's app-data folder, where Electron's userData points", () => {
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Berth');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/xdg/Berth');
    expect(defaultDataDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Berth');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toMatch(/Roaming.Berth$/);
  });
});

describe('ensureDataDir', () => {
  it('creates the directory private to its owner', () => {
    const dir = join(tempDir(), 'nested', 'data');
    ensureDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe('lockDataDir', () => {
  it('lets one holder at a time claim a directory, this process included, and releases it', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, lockFile), 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(/already running/);
    release();
    expect(existsSync(join(dir, lockFile))).toBe(false);
    lockDataDir(dir)();
  });

  it('refuses a directory held by another live process and takes it over once that process is gone', async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, lockFile), String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`process ${holder.pid}`));
    } finally {
      const gone = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await gone;
    }
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, lockFile), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes over a lock file that holds garbage', () => {
    const dir = tempDir();
    writeFileSync(join(dir, lockFile), 'not a pid');
    lockDataDir(dir)();
  });
});
