// The jobs pages in Chromium against the built `berth serve` and the real engine: the table's
// filters, sort and bulk cancel over selected rows, and the job page's spec with a secret that
// never reaches the screen or the copied `docker run` line. Jobs that must stay pending go to a
// TCP host on a closed port: a host that is down holds its queue. Run after `npm run build`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchChromium, testImage } from '../support/test-env';
import { restClient, serve, stopServing, type Served } from './browser-helpers';

const secretValue = 'sekret-value-123';
/** Lists are read again from the server on each change; the machine may be busy. */
const poll = { timeout: 10_000 };

interface ApiJob {
  id: number;
  status: string;
}

describeWithBrowser('The jobs pages in a browser', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let token: string;
  /** Oldest first. */
  let pendingIds: number[];
  let doneIds: number[];
  const pageErrors: string[] = [];

  const api = restClient(
    () => served,
    () => token,
  );

  /** The job ids in the table, top to bottom. */
  const shownIds = async () =>
    (await page.getByTestId('job-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-job-id'))))) as number[];
  const statusOf = (id: number) => page.locator(`[data-testid="job-row"][data-job-id="${id}"] [data-testid="job-status"]`).getAttribute('data-status');
  const checkbox = (id: number) => page.locator(`[data-testid="job-row"][data-job-id="${id}"] [data-testid="job-select"]`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-jobs-'));
    served = await serve(dataDir);
    token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });

    // Nothing listens on port 1: the host is down, and its jobs wait in its queue.
    const down = await api<{ id: number }>('POST', '/api/v1/hosts', { name: 'closed-port', kind: 'tcp', address: '127.0.0.1:1' });
    const waits = await api<{ id: number }>('POST', '/api/v1/templates', {
      name: 'waits-on-down-host',
      image: testImage(),
      command: ['sh', '-c', 'echo never runs'],
      hostId: down.id,
      env: { PLAIN: 'visible-value' },
      secretEnv: { TOKEN: secretValue },
      cpus: 0.5,
      memoryBytes: 64 * 1024 * 1024,
      pidsLimit: 50,
      labels: { team: 'e2e' },
    });
    const quick = await api<{ id: number }>('POST', '/api/v1/templates', { name: 'quick-exit', image: testImage(), command: ['true'] });
    pendingIds = [];
    for (let i = 0; i < 4; i++) pendingIds.push((await api<ApiJob>('POST', '/api/v1/jobs', { templateId: waits.id })).id);
    doneIds = [];
    for (let i = 0; i < 2; i++) doneIds.push((await api<ApiJob>('POST', '/api/v1/jobs', { templateId: quick.id })).id);
    for (let waited = 0; ; waited += 200) {
      const statuses = await Promise.all(doneIds.map((id) => api<ApiJob>('GET', `/api/v1/jobs/${id}`).then((j) => j.status)));
      if (statuses.every((s) => s === 'completed')) break;
      if (waited > 60_000) throw new Error(`quick jobs did not complete: ${statuses.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    await page.goto(served.loginUrl);
    await page.getByTestId('jobs-page').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stopServing(served);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists every job newest first, and the sort headers reorder the rows', async () => {
    const all = [...pendingIds, ...doneIds];
    await expect.poll(shownIds, poll).toEqual([...all].reverse());
    await expect.poll(() => page.getByTestId('jobs-count').getAttribute('data-count'), poll).toBe('6');

    await page.getByTestId('jobs-sort-created').click();
    await expect.poll(shownIds, poll).toEqual(all);
    // Run time, longest first, as the API sorts it (a job that never started counts as shortest).
    await page.getByTestId('jobs-sort-duration').click();
    const byDuration = (await api<{ jobs: ApiJob[] }>('GET', '/api/v1/jobs?sort=duration&order=desc')).jobs.map((j) => j.id);
    expect(byDuration).not.toEqual(all);
    await expect.poll(shownIds, poll).toEqual(byDuration);
    expect(await page.getByTestId('jobs-sort-duration').locator('..').getAttribute('aria-sort')).toBe('descending');
    await page.getByTestId('jobs-sort-created').click();
    await expect.poll(shownIds, poll).toEqual([...all].reverse());
  });

  it('filters by status and by search', async () => {
    await page.getByTestId('jobs-filter-q').fill('quick');
    await expect.poll(shownIds, poll).toEqual([...doneIds].reverse());
    await page.getByTestId('jobs-filter-q').fill('');
    await page.getByTestId('jobs-filter-status-pending').click();
    await expect.poll(shownIds, poll).toEqual([...pendingIds].reverse());
    expect(await page.getByTestId('jobs-filter-status-pending').getAttribute('aria-pressed')).toBe('true');
  });

  it('cancels the selected rows in bulk (shift-click selects a range) and shows what happened', async () => {
    // Newest first: selecting the top row, then shift-clicking the third, selects three.
    const [newest, second, third, oldest] = [...pendingIds].reverse() as [number, number, number, number];
    await checkbox(newest).click();
    await checkbox(third).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('jobs-selected-count').textContent(), poll).toBe('3 selected');
    expect(await checkbox(oldest).isChecked()).toBe(false);

    await page.getByTestId('jobs-bulk-cancel').click();
    await page.getByTestId('toast').filter({ hasText: '3 cancelled' }).waitFor();
    for (const id of [newest, second, third]) await expect.poll(() => statusOf(id), poll).toBe('cancelled');
    expect(await statusOf(oldest)).toBe('pending');
    await page.getByTestId('jobs-bulk-bar').waitFor({ state: 'detached' });

    for (const id of [newest, second, third]) expect((await api<ApiJob>('GET', `/api/v1/jobs/${id}`)).status).toBe('cancelled');
    expect((await api<ApiJob>('GET', `/api/v1/jobs/${oldest}`)).status).toBe('pending');

    // Read again with the status filter: the three cancelled ones, newest first.
    await page.getByTestId('jobs-filter-status-pending').click();
    await page.getByTestId('jobs-filter-status-cancelled').click();
    await expect.poll(shownIds, poll).toEqual([newest, second, third]);
    await page.getByTestId('jobs-filter-clear').click();
    await expect.poll(() => page.getByTestId('job-row').count(), poll).toBe(6);
  });

  it('deletes after confirming, and says which jobs could not be and why', async () => {
    const cancelled = [...pendingIds].reverse()[0]!;
    const stillPending = pendingIds[0]!;
    await checkbox(cancelled).click();
    await checkbox(stillPending).click();
    await page.getByTestId('jobs-bulk-delete').click();
    await page.getByTestId('jobs-bulk-confirm').waitFor();
    expect(await statusOf(cancelled)).toBe('cancelled');
    await page.getByTestId('jobs-bulk-delete-confirm').click();
    const toast = page.getByTestId('toast').filter({ hasText: '1 deleted, 1 could not be' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain(`job ${stillPending}`);
    await expect.poll(() => page.locator(`[data-testid="job-row"][data-job-id="${cancelled}"]`).count(), poll).toBe(0);
    expect(await statusOf(stillPending)).toBe('pending');
    const gone = await fetch(`${served.baseUrl}/api/v1/jobs/${cancelled}`, { headers: { authorization: `Bearer ${token}` } });
    expect(gone.status).toBe(404);
  });

  it('shows a job’s spec with its secret masked and copies it as docker run with $TOKEN, never the value', async () => {
    const id = pendingIds[0]!;
    await page.locator(`[data-testid="job-row"][data-job-id="${id}"] [data-testid="job-attempt"]`).click();
    await page.getByTestId('job-view').waitFor();
    await expect.poll(() => page.getByTestId('job-detail-queue').textContent(), poll).toMatch(/^\d+$/);
    expect(await page.getByTestId('job-trigger').textContent()).toBe('api');

    await page.getByTestId('job-spec-toggle').click();
    const secret = page.locator('[data-testid="job-spec-secret"][data-key="TOKEN"]');
    await expect.poll(() => secret.textContent(), poll).toContain('TOKEN = ••••');
    expect(await page.getByTestId('job-spec-env').textContent()).toContain('PLAIN = visible-value');
    const limits = await page.getByTestId('job-spec-limits').textContent();
    expect(limits).toContain('64 MiB');
    expect(limits).toContain('0.5');
    expect(limits).toContain('50');

    await page.getByTestId('copy-docker-run').click();
    await page.getByTestId('toast').filter({ hasText: 'Copied the docker run command' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const shown = await page.getByTestId('job-spec-docker-run').textContent();
    for (const command of [copied, shown]) {
      expect(command).toContain('"TOKEN=$TOKEN"');
      expect(command).toContain('--memory=67108864b');
      expect(command).not.toContain(secretValue);
    }
    expect(await page.evaluate(() => document.body.innerText)).not.toContain(secretValue);
    expect(await page.content()).not.toContain(secretValue);

    // Cancel from the job page; a finished job offers Retry instead.
    await page.getByTestId('cancel-job-button').click();
    await expect.poll(() => page.getByTestId('job-view').getByTestId('job-status').first().getAttribute('data-status'), poll).toBe('cancelled');
    // Retry runs it again as a new job and opens it.
    await page.getByTestId('retry-job-button').click();
    await expect.poll(async () => Number(await page.getByTestId('job-view').getAttribute('data-job-id')), poll).toBeGreaterThan(doneIds[1]!);
    expect(await page.getByTestId('job-trigger').textContent()).toBe('manual');
  });

  it('follows new jobs live: on top when newest first, otherwise counted until refreshed', async () => {
    await page.getByTestId('back-to-jobs').click();
    await page.getByTestId('jobs-page').waitFor();
    const template = (await api<{ id: number; name: string }[]>('GET', '/api/v1/templates')).find((t) => t.name === 'waits-on-down-host')!;
    await page.getByTestId('job-row').first().waitFor();
    const before = await shownIds();
    const first = (await api<ApiJob>('POST', '/api/v1/jobs', { templateId: template.id })).id;
    await expect.poll(shownIds, poll).toEqual([first, ...before]);

    await page.getByTestId('jobs-sort-started').click();
    await expect.poll(() => page.getByTestId('jobs-sort-started').getAttribute('data-active'), poll).toBe('true');
    await page.getByTestId('job-row').first().waitFor();
    const sortedBefore = await shownIds();
    const second = (await api<ApiJob>('POST', '/api/v1/jobs', { templateId: template.id })).id;
    await expect.poll(() => page.getByTestId('jobs-new-hint').textContent(), poll).toBe('1 new job — refresh');
    expect(await shownIds()).toEqual(sortedBefore);
    await page.getByTestId('jobs-new-hint').click();
    await expect.poll(shownIds, poll).toContain(second);
    await page.getByTestId('jobs-new-hint').waitFor({ state: 'detached' });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
