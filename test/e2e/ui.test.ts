// The whole product in a real browser: `berth serve` (built, as a user runs it) against the real
// Docker engine, driven through its UI in Chromium. Run after `npm run build` (npm test does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchChromium } from '../support/test-env';
import { chooseTemplate, createTemplate, dominant, readBuffer as readPane, serve, stopServing, type Served } from './browser-helpers';

async function pillColour(page: Page, jobId: number): Promise<string> {
  return page.locator(`[data-job-id="${jobId}"] [data-testid="job-status"] .pill-dot`).evaluate((el) => getComputedStyle(el).backgroundColor);
}

describeWithBrowser('Berth in a browser', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
    served = await serve(dataDir);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopServing(served);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for sign-in without a session, and signs in through the one-time link', async () => {
    await page.goto(served.baseUrl);
    await page.getByTestId('sign-in').waitFor();
    await page.goto(served.loginUrl);
    await page.getByTestId('jobs-empty').waitFor();
    await expect.poll(() => page.getByTestId('host-status').getAttribute('data-state')).toBe('up');
    // Without templates the run form says why it cannot run anything.
    await page.getByTestId('run-job-hint').waitFor();
    // The browser logs the 401s that sent us to sign in; only errors from here on count.
    pageErrors.length = 0;
  });

  it('runs a job that writes to stdout and stderr and exits 3, and shows both in the terminal', async () => {
    await createTemplate(page, 'says-both', `sh -c 'echo to-stdout-line; echo to-stderr-line >&2; exit 3'`);

    await page.getByTestId('nav-jobs').click();
    await chooseTemplate(page, 'says-both');
    await page.getByTestId('run-job-button').click();
    const row = page.getByTestId('job-row').first();
    await row.waitFor();
    const jobId = Number(await row.getAttribute('data-job-id'));
    expect(jobId).toBeGreaterThan(0);

    // The table follows the job live until it fails, in red, with its exit code.
    const status = page.locator(`[data-job-id="${jobId}"] [data-testid="job-status"]`);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    await expect.poll(() => page.locator(`[data-job-id="${jobId}"] [data-testid="job-exit-code"]`).textContent()).toContain('3');
    expect(dominant(await pillColour(page, jobId))).toBe('red');

    await row.click();
    await page.getByTestId('job-view').waitFor();
    const pane = page.getByTestId('log-pane');
    const readBuffer = () => readPane(pane);
    await expect.poll(readBuffer, { timeout: 15_000 }).toEqual(expect.arrayContaining(['to-stdout-line', 'to-stderr-line']));

    // stderr is drawn in another colour than stdout.
    const colourOf = (text: string) =>
      page
        .locator('.xterm-rows span', { hasText: text })
        .first()
        .evaluate((el) => getComputedStyle(el).color);
    const [outColour, errColour] = [await colourOf('to-stdout-line'), await colourOf('to-stderr-line')];
    expect(errColour).not.toBe(outColour);
    expect(dominant(errColour)).toBe('red');
  });

  it('follows a running job live and shows a completed one in green', async () => {
    await createTemplate(page, 'counts-slowly', `sh -c 'for i in 1 2 3 4 5; do echo tick-$i; sleep 0.4; done'`);

    await page.getByTestId('nav-jobs').click();
    await chooseTemplate(page, 'counts-slowly');
    const before = await page.getByTestId('job-row').count();
    await page.getByTestId('run-job-button').click();
    await expect.poll(() => page.getByTestId('job-row').count()).toBe(before + 1);
    const row = page.getByTestId('job-row').first();
    const jobId = Number(await row.getAttribute('data-job-id'));
    await row.click();

    const pane = page.getByTestId('log-pane');
    const readBuffer = () => readPane(pane);
    // A line appears while the job still runs: it came over the live stream, not a reload.
    await expect.poll(readBuffer, { timeout: 15_000 }).toEqual(expect.arrayContaining(['tick-1']));
    expect(await page.getByTestId('log-follow-state').getAttribute('data-state')).toBe('following');
    await expect.poll(readBuffer, { timeout: 15_000 }).toEqual(expect.arrayContaining(['tick-5']));
    const ticks = (await readBuffer()).filter((l) => l.startsWith('tick-'));
    expect(ticks).toEqual(['tick-1', 'tick-2', 'tick-3', 'tick-4', 'tick-5']);
    await expect.poll(() => page.getByTestId('log-follow-state').getAttribute('data-state')).toBe('finished');

    await page.getByTestId('nav-jobs').click();
    await expect.poll(() => page.locator(`[data-job-id="${jobId}"] [data-testid="job-status"]`).getAttribute('data-status')).toBe('completed');
    expect(dominant(await pillColour(page, jobId))).toBe('green');
  });

  it('raised no page errors once signed in (CSP violations included)', () => {
    expect(pageErrors).toEqual([]);
  });
});
