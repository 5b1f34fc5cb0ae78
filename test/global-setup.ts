// Vitest global setup for the integration and e2e projects: make sure Docker, the test image
// and Chromium are there (scripts/test-env.sh), then hand the findings to the tests.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
// Type-only: importing vitest's runtime here (main process) would throw.
import type { TestEnv } from './support/test-env';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A fresh machine may apt-get install docker.io and chromium first.
const TIMEOUT_MS = 15 * 60_000;
// Each project that lists this file runs it; one script run per `vitest run` is enough.
const MEMO = Symbol.for('berth.test-env');

function runScript(): Promise<void> {
  return new Promise((resolve, reject) => {
    // stderr is inherited so the progress of slow installs shows up in the terminal.
    const child = spawn('bash', ['scripts/test-env.sh'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`scripts/test-env.sh did not finish within ${TIMEOUT_MS / 60_000} min`));
    }, TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`scripts/test-env.sh failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function loadTestEnv(): Promise<TestEnv> {
  await runScript();
  const raw = await readFile(`${ROOT}/.test-env/env.json`, 'utf8');
  return JSON.parse(raw) as TestEnv;
}

export default async function setup(project: TestProject): Promise<void> {
  const store = globalThis as { [MEMO]?: Promise<TestEnv> };
  store[MEMO] ??= loadTestEnv();
  project.provide('testEnv', await store[MEMO]);
}
