// The log system through the UI, in Chromium against the built `berth serve` and the real engine:
// search across history on the Logs page, opening a hit at its line, the pane's own search,
// level filter, timestamps, paging back, download, attaching a container Berth did not start,
// and the merged live view. Run after `npm run build` (npm test does).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchChromium, testDocker, testImage } from '../support/test-env';
import { readBuffer, readViewport, restClient, serve, stopServing, type Served } from './browser-helpers';

/** 5,000 lines: one rare word at row 2345, a JSON warn line every 100 rows, a stderr line every 500. */
const lineCount = 5000;
const rareRow = 2345;
const rareWord = 'quokkaventure';
const manyLines = [
  'sh',
  '-c',
  `i=1; while [ $i -le ${lineCount} ]; do ` +
    `if [ $((i % 500)) -eq 0 ]; then echo "row $i failed" >&2; ` +
    `elif [ $((i % 100)) -eq 0 ]; then echo "{\\"level\\":\\"warn\\",\\"msg\\":\\"slow row $i\\"}"; ` +
    `elif [ $i -eq ${rareRow} ]; then echo "row $i ${rareWord} found"; ` +
    `else echo "row $i alpha beta"; fi; i=$((i+1)); done`,
];

describeWithBrowser('The log system in a browser', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let token: string;
  let jobId: number;
  let rareLogId: number;
  const containerName = `berth-e2e-attach-${process.pid}-${Date.now().toString(36)}`;
  let containerId: string | undefined;
  const pageErrors: string[] = [];

  const api = restClient(
    () => served,
    () => token,
  );

  const pane = () => page.getByTestId('log-pane');
  const paneState = (name: string) => pane().getAttribute(`data-${name}`);
  const followState = () => page.getByTestId('log-follow-state').getAttribute('data-state');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-logs-'));
    served = await serve(dataDir);
    token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(served.loginUrl);
    await page.getByTestId('jobs-page').waitFor();

    // The job runs through the API: the Templates and Jobs pages have their own test (ui.test.ts).
    const template = await api<{ id: number }>('POST', '/api/v1/templates', { name: 'many-lines', image: testImage(), command: manyLines });
    jobId = (await api<{ id: number }>('POST', '/api/v1/jobs', { templateId: template.id })).id;
    // expect.poll belongs in tests; a plain wait here.
    for (let waited = 0; ; waited += 250) {
      const { status } = await api<{ status: string }>('GET', `/api/v1/jobs/${jobId}`);
      if (status === 'completed') break;
      if (status === 'failed' || status === 'cancelled' || waited > 60_000) throw new Error(`job ${jobId} ended ${status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await stopServing(served);
    if (containerId) await testDocker().getContainer(containerId).remove({ force: true }).catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("finds a rare word through the Logs page and lands on its line in the job's pane, highlighted", async () => {
    await page.getByTestId('nav-logs').click();
    await page.getByTestId('logs-search-text').fill(rareWord);
    // Lines become searchable about a second after they are stored: search again until it shows.
    await expect
      .poll(
        async () => {
          await page.getByTestId('logs-search-submit').click();
          await page.getByTestId('logs-search-submit').filter({ hasText: 'Search' }).waitFor();
          return page.getByTestId('logs-hit').count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    const hit = page.getByTestId('logs-hit');
    await expect.poll(() => hit.locator('mark').textContent()).toBe(rareWord);
    expect(await hit.textContent()).toContain(`#${jobId} many-lines`);
    // The hit shows the lines around it once they are read.
    await expect.poll(() => hit.locator('.context-line').allTextContents()).toEqual(
      expect.arrayContaining([`row ${rareRow - 1} alpha beta`, `row ${rareRow + 1} alpha beta`]),
    );
    rareLogId = Number(await hit.getAttribute('data-log-id'));

    await hit.getByTestId('logs-hit-open').click();
    await page.getByTestId('job-view').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/jobs/${jobId}?line=${rareLogId}`);
    await expect.poll(() => paneState('phase')).toBe('ready');
    expect(await paneState('highlight-id')).toBe(String(rareLogId));
    // The line is on screen, not just somewhere in the terminal...
    await expect.poll(() => readViewport(pane())).toEqual(expect.arrayContaining([`row ${rareRow} ${rareWord} found`]));
    // ...and drawn on the highlight background.
    const highlighted = await pane().evaluate((el, word) => {
      const row = [...el.querySelectorAll('.xterm-rows > div')].find((r) => r.textContent?.includes(word));
      return row ? [...row.querySelectorAll('span')].map((s) => getComputedStyle(s).backgroundColor) : [];
    }, rareWord);
    expect(highlighted).toContain('rgb(58, 51, 18)');
    // 2,655 lines follow it: the pane shows a window of history, not the live end.
    expect(await followState()).toBe('history');
  });

  it('searches the pane with Ctrl+F, highlights every match and moves between them with Enter and Shift+Enter', async () => {
    await pane().click();
    await page.keyboard.press('Control+f');
    const input = page.getByTestId('log-search-input');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.fill('slow row');
    const counter = page.getByTestId('log-search-count');
    // The window holds rows 1345–3344: 20 warn lines, minus the stderr rows 1500, 2000, … (4), so 16.
    await expect.poll(() => counter.getAttribute('data-count')).toBe('16');
    const index = async () => Number(await counter.getAttribute('data-index'));
    // Typing may already select a match: wait for Enter to move before reading where it is.
    const typed = await index();
    await input.press('Enter');
    await expect.poll(index).not.toBe(typed);
    const first = await index();
    expect(first).toBeGreaterThanOrEqual(0);
    await input.press('Enter');
    await expect.poll(index).toBe((first + 1) % 16);
    await input.press('Shift+Enter');
    await expect.poll(index).toBe(first);
    expect(await counter.textContent()).toBe(`${first + 1} of 16`);
    // Matches are drawn as decorations, the active one outlined in its own colour, on screen.
    const decorationOutlines = () =>
      pane()
        .locator('.xterm-find-result-decoration')
        .evaluateAll((els) => els.map((el) => getComputedStyle(el).outlineColor));
    await expect.poll(decorationOutlines).toEqual(expect.arrayContaining(['rgb(255, 204, 102)', 'rgb(168, 132, 20)']));
    expect((await readViewport(pane())).some((l) => l.includes('slow row'))).toBe(true);
    await input.press('Escape');
    await expect.poll(() => counter.textContent()).toBe('');
  });

  it('shows only the chosen levels, and every level again', async () => {
    await page.getByTestId('log-level-warn').click({ modifiers: ['Alt'] });
    await expect.poll(() => followState()).toBe('finished');
    await expect.poll(async () => (await readBuffer(pane())).length).toBe(lineCount / 100 - lineCount / 500);
    const lines = await readBuffer(pane());
    expect(lines.every((l) => l.includes('"level":"warn"'))).toBe(true);
    expect(await page.getByTestId('log-level-error').getAttribute('aria-pressed')).toBe('false');

    for (const level of ['debug', 'info', 'error']) await page.getByTestId(`log-level-${level}`).click();
    for (const level of ['debug', 'info', 'warn', 'error']) {
      await expect.poll(() => page.getByTestId(`log-level-${level}`).getAttribute('aria-pressed')).toBe('true');
    }
    await expect.poll(() => readBuffer(pane())).toEqual(expect.arrayContaining([`row ${lineCount - 1} alpha beta`, `row ${lineCount} failed`]));
  });

  it('turns timestamps on and off', async () => {
    const outputLines = async () => (await readBuffer(pane())).filter((l) => l.includes('alpha beta')).slice(-3);
    await page.getByTestId('log-toggle-timestamps').click();
    await expect
      .poll(async () => (await outputLines()).every((l) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} row \d+ alpha beta$/.test(l)))
      .toBe(true);
    await page.getByTestId('log-toggle-timestamps').click();
    await expect.poll(async () => (await outputLines()).every((l) => /^row \d+ alpha beta$/.test(l))).toBe(true);
  });

  it('pages older lines in from the store as the view reaches the top, keeping the view in place', async () => {
    const rowOf = (l: string) => Number(/^row (\d+)/.exec(l)?.[1] ?? /slow row (\d+)/.exec(l)?.[1] ?? NaN);
    const oldest = async () => Math.min(...(await readBuffer(pane())).map(rowOf).filter((n) => !Number.isNaN(n)));
    // The pane opened on the newest 2,000 lines.
    expect(await oldest()).toBeGreaterThan(2000);
    // Drag the scrollbar to the top, as often as it takes to reach the first line.
    const slider = pane().locator('.scrollbar.vertical .slider');
    await expect
      .poll(
        async () => {
          const box = await slider.boundingBox();
          if (box) {
            await page.mouse.move(box.x + box.width / 2, box.y + 2);
            await page.mouse.down();
            await page.mouse.move(box.x + box.width / 2, 0, { steps: 4 });
            await page.mouse.up();
          }
          return oldest();
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(1);
    // Scrolled up: no longer following.
    expect(await followState()).toBe('paused');
    await page.getByTestId('log-resume').click();
    await expect.poll(followState).toBe('finished');
    await expect.poll(() => readBuffer(pane())).toEqual(expect.arrayContaining([`row ${lineCount - 1} alpha beta`]));
  });

  it('jumps to the first stored line and back to the latest', async () => {
    await page.getByTestId('log-jump-start').click();
    // The first lines are on top, among Berth's own ("Queued for…", "Starting container…") and
    // stderr lines, whose order against stdout is the container's business.
    await expect.poll(async () => (await readViewport(pane())).slice(0, 6)).toEqual(expect.arrayContaining(['row 1 alpha beta', 'row 2 alpha beta']));
    expect(await pane().evaluate((el) => (el as HTMLElement & { readScroll(): { viewportY: number } }).readScroll().viewportY)).toBe(0);
    // The first 2,000 lines are a window of history: the rest is a click (or a scroll down) away.
    expect(await followState()).toBe('history');
    await page.getByTestId('log-resume').click();
    await expect.poll(followState).toBe('finished');
  });

  it("downloads the job's log as a text file", async () => {
    await page.getByTestId('log-download-button').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-download-text').click()]);
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`row ${rareRow} ${rareWord} found`);
    expect(text.split('\n').filter((l) => /\brow \d+/.test(l))).toHaveLength(lineCount);
    expect(download.suggestedFilename()).toMatch(/\.log$/);
  });

  it('attaches a container started with docker run from the Attached containers view and shows its lines', async () => {
    const docker = testDocker();
    const container = await docker.createContainer({
      Image: testImage(),
      name: containerName,
      Cmd: ['sh', '-c', 'echo attached-hello; i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.3; done'],
    });
    containerId = container.id;
    await container.start();

    await page.getByTestId('nav-containers').click();
    const row = page.locator(`[data-testid="container-row"][data-container-name="${containerName}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('attach-button').click();
    await row.getByTestId('container-attached').waitFor();
    const attachment = page.locator(`[data-testid="attachment-row"][data-container-id="${containerId}"]`);
    await expect.poll(() => attachment.getByTestId('attachment-state').textContent(), { timeout: 15_000 }).toBe('following');

    await attachment.getByTestId('attachment-open').click();
    await page.getByTestId('container-view').waitFor();
    await expect.poll(() => readBuffer(pane()), { timeout: 15_000 }).toEqual(expect.arrayContaining(['attached-hello']));
    // New lines arrive live.
    const ticks = async () => (await readBuffer(pane())).filter((l) => l.startsWith('tick ')).length;
    const before = await ticks();
    await expect.poll(ticks, { timeout: 10_000 }).toBeGreaterThan(before);
  });

  it('merges the live output of a job and a container in one terminal, each behind its name', async () => {
    await page.goto(`${served.baseUrl}/#/logs/live?source=job:${jobId}&source=container:${containerId}`);
    const live = page.getByTestId('live-pane');
    await expect
      .poll(async () => {
        const lines = await readBuffer(live);
        return [lines.some((l) => /^#\d+ many-lines\s*│ row \d+/.test(l)), lines.some((l) => new RegExp(`^${containerName.slice(0, 19)}.*│ tick \\d+`).test(l))];
      }, { timeout: 15_000 })
      .toEqual([true, true]);
    expect(await page.getByTestId('live-legend').locator('.legend-item').count()).toBe(2);
  });

  it('detaches the container: Berth stops following it and keeps its lines', async () => {
    await page.getByTestId('nav-containers').click();
    const attachment = page.locator(`[data-testid="attachment-row"][data-container-id="${containerId}"]`);
    await attachment.getByTestId('detach-button').click();
    await attachment.waitFor({ state: 'detached' });
    const { count } = await api<{ count: number }>('GET', `/api/v1/logs/count?containerId=${containerId}`);
    expect(count).toBeGreaterThan(1);
  });

  it('raised no page errors (CSP violations included)', () => {
    expect(pageErrors).toEqual([]);
  });
});
