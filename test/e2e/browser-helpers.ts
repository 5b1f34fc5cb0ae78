// What the end-to-end tests share: the built `berth serve` on a free port, and small steps
// through its UI in Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { testEnv } from '../support/test-env';

const root = resolve(__dirname, '../..');

export interface Served {
  process: ChildProcess;
  baseUrl: string;
  loginUrl: string;
}

/** Starts the built `berth serve` on a free port and reads its address and login link from stdout. */
export function serve(dataDir: string): Promise<Served> {
  const cli = join(root, 'bin/berth.mjs');
  if (!existsSync(join(root, 'out/main/cli.js'))) throw new Error('Berth is not built: run `npm run build` (npm test does it first)');
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, DOCKER_HOST: testEnv().docker!.host },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`berth serve did not start:\n${out}\n${err}`)), 20_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const base = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      const login = /(http:\/\/127\.0\.0\.1:\d+\/login\?code=\S+)/.exec(out);
      if (base && login) {
        clearTimeout(timer);
        resolvePromise({ process: child, baseUrl: base[1]!, loginUrl: login[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`berth serve exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Stops a served Berth and waits for it to exit. */
export async function stopServing(served: Served | undefined): Promise<void> {
  if (!served || served.process.exitCode !== null) return;
  const exited = new Promise((r) => served.process.once('exit', r));
  served.process.kill('SIGTERM');
  await exited;
}

/** The dominant channel of a CSS colour, to check "red" without pinning the exact shade. */
export function dominant(color: string): 'red' | 'green' | 'blue' | 'yellow' | 'grey' {
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number) as [number, number, number];
  if (Math.max(r, g, b) - Math.min(r, g, b) < 40) return 'grey';
  if (r > 150 && g > 110 && b < 100) return 'yellow';
  if (r >= g && r >= b) return 'red';
  if (g >= r && g >= b) return 'green';
  return 'blue';
}

/** Creates a template through the Templates page and waits until it is listed. */
export async function createTemplate(page: Page, name: string, command: string): Promise<void> {
  await page.getByTestId('nav-templates').click();
  await page.getByTestId('template-name').fill(name);
  await page.getByTestId('template-image').fill(testEnv().docker!.image);
  await page.getByTestId('template-command').fill(command);
  await page.getByTestId('template-submit').click();
  await page.getByTestId('template-row').filter({ hasText: name }).waitFor();
}

/** Picks a template in the run form by name (options read "name — image"). */
export async function chooseTemplate(page: Page, name: string): Promise<void> {
  const select = page.getByTestId('run-template-select');
  const option = select.locator('option', { hasText: name });
  await option.waitFor({ state: 'attached' });
  await select.selectOption((await option.getAttribute('value'))!);
}

type PaneElement = HTMLElement & { readTerminalBuffer?: () => string[]; readViewport?: () => string[] };

/** Every line the log pane's terminal holds, read from xterm's buffer (not from pixels). */
export function readBuffer(pane: Locator): Promise<string[]> {
  return pane.evaluate((el) => (el as PaneElement).readTerminalBuffer?.() ?? []);
}

/** The lines on screen in the log pane. */
export function readViewport(pane: Locator): Promise<string[]> {
  return pane.evaluate((el) => (el as PaneElement).readViewport?.() ?? []);
}

/** The served Berth's REST API with its token: JSON in and out, any non-2xx thrown with its body. */
export function restClient(served: () => Served, token: () => string) {
  return async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${served().baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
}
