// The templates editor and the hosts page in a real browser, against the built `berth serve` and
// the real Docker engine: a secret goes in through the form and never comes back out (screen,
// inputs, API, export), the contract's messages show beside their fields, and the hosts page
// shows the engine and changes a host's concurrency.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestInput, RequestName, RequestOutput } from '../../src/shared/contract';
import { buildHttpRequest } from '../../src/renderer/src/client/http-request';
import { describeWithBrowser, launchChromium, testDocker, testImage } from '../support/test-env';
import { serve, stopServing, type Served } from './browser-helpers';

const secret = 'e2e-secret-value-7c1f93';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describeWithBrowser('Templates and hosts in a browser', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  /** A contract request over REST with the token, as a script makes it. */
  async function api<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const { text, status } = await apiText(name, input);
    if (status >= 400) throw new Error(`${name} → ${status}: ${text}`);
    return JSON.parse(text) as RequestOutput<N>;
  }
  async function apiText<N extends RequestName>(name: N, input: RequestInput<N>): Promise<{ text: string; status: number }> {
    const req = buildHttpRequest(name, input);
    const res = await fetch(served.baseUrl + req.url, { method: req.method, headers: { ...req.headers, authorization: `Bearer ${token}` }, body: req.body });
    return { text: await res.text(), status: res.status };
  }

  /** Everything a person can read on the page, and every value typed into a field. */
  const screenText = () =>
    page.evaluate(() =>
      [
        document.body.innerText,
        ...[...document.querySelectorAll('input, textarea, select')].map((el) => (el as HTMLInputElement).value),
      ].join('\n'),
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-th-'));
    served = await serve(dataDir);
    token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.loginUrl);
    await page.getByTestId('nav-templates').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stopServing(served);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await testDocker()
      .getVolume('data-e2e-th')
      .remove()
      .catch(() => {});
  });

  it("shows the contract's message beside the field it is about, then creates the template once fixed", async () => {
    await page.getByTestId('nav-templates').click();
    const form = page.getByTestId('template-form');
    await form.getByTestId('template-name').fill('keeps-a-secret');
    await form.getByTestId('template-image').fill(testImage());
    await form.getByTestId('template-command').fill(`sh -c 'printf %s "$TOKEN" | md5sum'`);
    await form.getByTestId('secret-add').click();
    await form.getByTestId('secret-key').fill('TOKEN');
    await form.getByTestId('secret-value').fill(secret);
    await form.getByTestId('template-advanced').locator('summary').click();
    await form.getByTestId('template-working-dir').fill('work');
    await form.getByTestId('template-volumes').fill('data:/data\nrelative:path');
    await form.getByTestId('template-submit').click();

    // Each message sits inside its own field, not in a banner.
    const dirError = form.locator('[data-field="workingDir"]').getByTestId('field-error-workingDir');
    await expect.poll(() => dirError.textContent()).toContain('absolute path');
    const volumeError = form.locator('[data-field="volumes"]').getByTestId('field-error-volumes');
    await expect.poll(() => volumeError.textContent()).toMatch(/^line 2: a volume is 'name:\/path'/);
    expect(await page.getByTestId('template-row').count()).toBe(0);

    await form.getByTestId('template-working-dir').fill('/tmp');
    await form.getByTestId('template-volumes').fill('data-e2e-th:/data');
    await form.getByTestId('template-submit').click();
    await page.getByTestId('template-row').filter({ hasText: 'keeps-a-secret' }).waitFor();
    await expect.poll(() => form.getByTestId('field-error-workingDir').count()).toBe(0);
    // The new-template form is blank again: nothing typed is left on the page.
    expect(await screenText()).not.toContain(secret);
  });

  it('reopens the template with the secret masked and keeps it when another field is saved', async () => {
    const row = page.getByTestId('template-row').filter({ hasText: 'keeps-a-secret' });
    await row.getByTestId('template-edit').click();
    const form = page.locator('[data-testid="template-form"][data-mode="edit"]');
    await form.waitFor();
    const secretRow = form.locator('[data-testid="secret-row"][data-key="TOKEN"]');
    expect(await secretRow.getByTestId('secret-masked').textContent()).toBe('••••');
    expect(await form.getByTestId('template-working-dir').inputValue()).toBe('/tmp');
    expect(await screenText()).not.toContain(secret);

    await form.getByTestId('template-timeout').fill('120');
    await form.getByTestId('template-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'saved' }).waitFor();
    expect(await screenText()).not.toContain(secret);

    const [template] = (await api('templates.list', {})).filter((t) => t.name === 'keeps-a-secret');
    expect(template).toMatchObject({ timeoutSeconds: 120, secretEnv: { TOKEN: '••••' }, workingDir: '/tmp', volumes: ['data-e2e-th:/data'] });
    const raw = await apiText('templates.get', { id: template!.id });
    expect(raw.text).not.toContain(secret);

    // The stored value itself survived the save: the container gets it.
    const job = await api('jobs.run', { templateId: template!.id });
    await expect.poll(async () => (await api('jobs.get', { id: job.id })).status, { timeout: 60_000 }).toBe('completed');
    const { logs } = await api('logs.query', { jobId: job.id });
    expect(logs.map((l) => l.message).join('\n')).toContain(md5(secret));
  });

  it('exports YAML without the secret value', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('templates-export').click();
    const file = await (await download).path();
    const yaml = readFileSync(file!, 'utf8');
    expect(yaml).toContain('keeps-a-secret');
    expect(yaml).toContain('TOKEN');
    expect(yaml).not.toContain(secret);
  });

  it('shows usage statistics once the template has run', async () => {
    await page.reload();
    const row = page.getByTestId('template-row').filter({ hasText: 'keeps-a-secret' });
    await expect.poll(() => row.getByTestId('template-row-jobs').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await row.getByTestId('template-row-success').textContent()).toBe('100%');
  });

  it('lists the local engine up with its version on the hosts page', async () => {
    await page.getByTestId('nav-hosts').click();
    const [local] = await api('hosts.list', {});
    expect(local!.status.version).toBeTruthy();
    const row = page.locator(`[data-testid="host-row"][data-host-id="${local!.id}"]`);
    await expect.poll(() => row.getByTestId('host-row-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('up');
    expect(await row.getByTestId('host-row-version').textContent()).toBe(local!.status.version);
  });

  it("changes a host's concurrency from the page, as the API then reports", async () => {
    const [local] = await api('hosts.list', {});
    const row = page.locator(`[data-testid="host-row"][data-host-id="${local!.id}"]`);
    await row.getByTestId('host-edit').click();
    await page.getByTestId('host-edit-concurrency').fill('3');
    await page.getByTestId('host-edit-save').click();
    await expect.poll(async () => (await api('hosts.list', {})).find((h) => h.id === local!.id)?.concurrency).toBe(3);
    await expect.poll(() => row.getByTestId('host-row-slots').textContent()).toMatch(/\/ 3$/);
  });

  it('tests the selected hosts at once and shows each answer, and a status history per host', async () => {
    const [local] = await api('hosts.list', {});
    const row = page.locator(`[data-testid="host-row"][data-host-id="${local!.id}"]`);
    await row.getByTestId('host-select').check();
    await page.getByTestId('hosts-test').click();
    const result = page.getByTestId('host-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain(`up — Docker ${local!.status.version}`);

    await row.getByTestId('host-history-button').click();
    const history = page.getByTestId('host-history');
    await history.waitFor();
    expect(await history.locator('[data-state="up"]').count()).toBeGreaterThan(0);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
