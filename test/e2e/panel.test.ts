// The panel in a real browser: run a model comparison from the command palette (its
// progress notification, the profile pick), then open the profiling panel and read the
// comparison table inside the webview. The screenshot is the README's second picture.
import * as assert from 'node:assert/strict';
import type { Page } from '../../test-tools/node_modules/playwright-core';
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

describe('e2e: model comparison and the profiling panel', function () {
  this.timeout(600000);
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

  it('shows your recorded completions and a comparison of two profiles in the panel', async () => {
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
    const done = page.locator('.notification-list-item-message', { hasText: /comparison done/ });
    await done.first().waitFor({ timeout: 240000 });

    await runCommand(page, 'Completion Lab: Show profiling panel');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const table = frame.locator('section.comparison table');
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
    const recorded = frame.locator('section', { hasText: 'Profiles on your recorded traffic' }).locator('table tr', { hasText: 'tiny' }).first();
    await recorded.waitFor({ timeout: 10000 });
    const rc = await recorded.locator('td').allTextContents();
    assert.equal(rc[0], 'tiny');
    assert.ok(Number(rc[1]) >= 1, `recorded requests: ${rc[1]}`);
    assert.match(rc[4]!, /\d+ ms|\d\.\d+ s/, `recorded TTFT p50 shown (${rc[4]})`);

    const note = await frame.locator('section.comparison p').first().textContent();
    assert.match(note ?? '', /cases from this workspace/);
    await page.screenshot({ path: readmePicture('panel.png') });
  });
});
