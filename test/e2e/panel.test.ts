// The panel in a real browser: run a model comparison from the command palette (its
// progress notification, the profile pick, the concurrency pick), then open the profiling
// panel and read what a user sees: the comparison table, the charts drawn (a canvas of
// non-zero size each), and each chart's text alternative holding the saved report's own
// numbers. Then the window is reloaded and the panel comes back by itself (its serializer).
// The screenshot is the README's second picture.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { FrameLocator, Page } from '../../test-tools/node_modules/playwright-core';
import type { ComparisonReport } from '../../src/core/compare/report';
import { qualityGaps } from '../../src/core/compare/reportSections';
import { fmtMs, fmtPct } from '../../webview/format';
import { quickOpen, readmePicture, recordFailure, startSession, statusItem, type Session } from './session';

/** Runs a command by its title from the command palette. */
async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    try {
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15000 });
      break;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
  await page.keyboard.press('Enter');
}

const panelFrame = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

/** The text alternative of a chart: its table's rows, as cell texts. */
async function altRows(frame: FrameLocator, chart: string): Promise<string[][]> {
  const rows = frame.locator(`figure[data-chart="${chart}"] table.alt tbody tr`);
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push(await rows.nth(i).locator('td').allTextContents());
  return out;
}

/** The chart is drawn: its canvas is on screen with a non-zero size. */
async function assertDrawn(frame: FrameLocator, chart: string): Promise<void> {
  const figure = frame.locator(`figure[data-chart="${chart}"]`);
  await figure.waitFor({ state: 'visible', timeout: 10000 });
  await figure.scrollIntoViewIfNeeded();
  const box = await figure.locator('canvas').boundingBox();
  assert.ok(box && box.width > 50 && box.height > 50, `${chart}: canvas drawn (${JSON.stringify(box)})`);
  assert.ok(((await figure.locator('canvas').getAttribute('aria-label')) ?? '').length > 20, `${chart}: the canvas has a description`);
}

describe('e2e: model comparison and the profiling panel', function () {
  // 120 requests on the CPU, then a window reload: about 8 minutes on a busy 2-core machine.
  this.timeout(900000);
  let s: Session | undefined;

  before(async () => {
    s = await startSession();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(s, 'panel');
  });

  after(async () => {
    await s?.stop();
  });

  it('shows your recorded completions and a comparison of two profiles in the panel, as charts with their numbers', async () => {
    const { page } = s!;
    await statusItem(page).waitFor({ timeout: 120000 });

    // One real completion first, so the panel has recorded traffic to show.
    await quickOpen(page, 'stats.py');
    const editor = page.locator('.monaco-editor[data-uri$="stats.py"]');
    await editor.locator('.view-line').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\ndef median(xs):\n', { delay: 20 });
    await editor.locator('.ghost-text-decoration, .ghost-text-decoration-preview').first().waitFor({ state: 'visible', timeout: 120000 });

    await runCommand(page, 'Completion Lab: Run model comparison');
    // The profile pick: both profiles are pre-selected; accept.
    await page.locator('.quick-input-widget', { hasText: 'Compare which profiles' }).waitFor({ timeout: 30000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'tiny-prefix' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    // The concurrency pick, as the CLI's --concurrency: the second entry, "1, 2".
    await page.locator('.quick-input-widget', { hasText: 'Requests in flight per profile' }).waitFor({ timeout: 30000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'scaling against 1' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const done = page.locator('.notification-list-item-message', { hasText: /comparison done/ });
    await done.first().waitFor({ timeout: 400000 });

    await runCommand(page, 'Completion Lab: Show profiling panel');
    const frame = panelFrame(page);
    const table = frame.locator('section.comparison table.profiles');
    await table.waitFor({ timeout: 60000 });
    for (const name of ['tiny', 'tiny-prefix']) {
      const row = table.locator(`tr[data-profile="${name}"]`);
      await row.waitFor({ timeout: 10000 });
      const cells = await row.locator('td').allTextContents();
      assert.equal(cells[0], name);
      assert.equal(cells[1], 'tiny-qwen2', `${name}: the served model`);
      assert.ok(Number(cells[2]) > 0, `${name}: cases replayed (${cells[2]})`);
      assert.match(cells[4]!, /\d+ ms|\d\.\d+ s/, `${name}: TTFT p50 shown (${cells[4]})`);
    }
    // The recorded traffic table: the completion typed above, under the active profile.
    const recorded = frame.locator('section.recorded table tr', { hasText: 'tiny' }).first();
    await recorded.waitFor({ timeout: 10000 });
    const rc = await recorded.locator('td').allTextContents();
    assert.equal(rc[0], 'tiny');
    assert.ok(Number(rc[1]) >= 1, `recorded requests: ${rc[1]}`);
    assert.match(rc[4]!, /\d+ ms|\d\.\d+ s/, `recorded TTFT p50 shown (${rc[4]})`);
    const note = await frame.locator('section.comparison p').first().textContent();
    assert.match(note ?? '', /cases from this workspace/);

    // The saved report the panel names: every chart's table must say what it says.
    const saved = (await frame.locator('section.comparison p.saved').textContent()) ?? '';
    const mdPath = saved.replace(/^Full report: /, '').trim();
    const report = JSON.parse(fs.readFileSync(mdPath.replace(/\.md$/, '.json'), 'utf8')) as ComparisonReport;
    assert.deepEqual(report.concurrencyLevels, [1, 2]);
    // Whether the quality gap is real or may be chance: the report's own paired numbers.
    const [gap] = qualityGaps(report);
    const gapItem = frame.locator('section.comparison ul.quality-gaps li[data-profile="tiny-prefix"]');
    assert.match((await gapItem.textContent()) ?? '', new RegExp(`^tiny-prefix against tiny: exact first line ${gap!.q.exactA} against ${gap!.q.exactB} of ${gap!.q.cases} cases \\(p `));
    assert.equal(await gapItem.getAttribute('data-real'), String(gap!.real));

    for (const chart of ['ttft-cdf', 'throughput', 'quality', 'lengths', 'timeline-0', 'timeline-1']) await assertDrawn(frame, chart);
    const cdf = await altRows(frame, 'ttft-cdf');
    const throughput = await altRows(frame, 'throughput');
    const quality = await altRows(frame, 'quality');
    for (const p of report.profiles) {
      const row = cdf.find((r) => r[0] === p.name);
      assert.deepEqual(row?.slice(1, 5), [String(p.count - p.failures), fmtMs(p.ttftMs.p50), fmtMs(p.ttftMs.p90), fmtMs(p.ttftMs.p99)], `${p.name}: the CDF's table holds the report's TTFT`);
      const levels = throughput.filter((r) => r[0] === p.name).map((r) => [r[1], r[2]]);
      assert.deepEqual(levels, p.sweep!.map((l) => [String(l.concurrency), l.throughputTokensPerSec!.toFixed(1)]), `${p.name}: throughput per level`);
      assert.deepEqual(quality.find((r) => r[0] === p.name)?.slice(1, 2), [fmtPct(p.exactMatchRate)], `${p.name}: exact first line`);
      const timeline = frame.locator(`figure.chart-figure[data-profile="${p.name}"] table.alt td`);
      assert.equal(await timeline.nth(2).textContent(), String(p.sweep!.reduce((n, l) => n + l.count + l.cancelledRequests, 0)), `${p.name}: every request of the run is marked`);
    }
    // No per-process GPU data on this machine: the VRAM figure says so instead of showing the card's numbers.
    const vram = await altRows(frame, 'vram');
    for (const p of report.profiles) assert.match(vram.find((r) => r[0] === p.name)?.[1] ?? '', /^no per-process data: /, `${p.name}: ${JSON.stringify(vram)}`);

    await frame.locator('section.comparison').scrollIntoViewIfNeeded();
    await page.screenshot({ path: readmePicture('panel.png') });

    // A window reload: the panel is restored by its serializer and hydrated again.
    await page.reload({ timeout: 120000 });
    await page.waitForSelector('#workbench\\.parts\\.statusbar', { timeout: 120000 });
    await page.locator('.tab', { hasText: 'Completion Lab' }).first().waitFor({ timeout: 120000 });
    const again = panelFrame(page).locator('section.comparison table.profiles tr[data-profile="tiny"]');
    try {
      await again.waitFor({ state: 'attached', timeout: 120000 });
    } catch (err) {
      const frames = await page.locator('iframe.webview').count();
      const text = await panelFrame(page).locator('body').innerText({ timeout: 5000 }).catch((e: Error) => e.message);
      throw new Error(`after the reload, ${frames} webview iframe(s); the panel reads: ${text.slice(0, 1500)}\n${(err as Error).message}`);
    }
    assert.equal((await again.locator('td').allTextContents())[0], 'tiny');
  });
});
