// The user's path, in a real browser: the linux-x64 package installed alone in code-server,
// its embedded engine started with "Start model servers". Type code, see ghost text, accept
// it with Tab, find it in the saved file, read TTFT from the status bar. The screenshot it
// takes is the README's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quickOpen, readmePicture, recordFailure, resultsDir, runCommand, startSession, statusItem, type Session } from './session';

// The suggestion's part on the cursor's line, and its further lines, which the editor draws
// in a zone below (a suggestion that starts with a line break has only those).
const inlineGhost = '.ghost-text-decoration, .ghost-text-decoration-preview';
const ghostSelector = `${inlineGhost}, .suggest-preview-text .ghost-text`;

/** Rendered editor text uses no-break spaces for spaces. */
function plain(s: string | null): string {
  return (s ?? '').replace(/\u00a0/g, ' ');
}

/** The editor renders a tab as spaces: compare text with whitespace runs collapsed. */
function squash(s: string): string {
  return s.replace(/\s+/g, ' ');
}

describe('e2e: ghost text in the browser', function () {
  this.timeout(600000);
  let s: Session | undefined;

  before(async () => {
    s = await startSession('linux-x64');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(s, 'ghost-text');
  });

  after(async () => {
    await s?.stop();
  });

  it('shows ghost text while typing, Tab inserts it, and the status bar shows TTFT', async () => {
    const { page, workspace } = s!;
    // The extension activates on startup finished; its status bar item says it is up.
    // Typing before that would only show that keystrokes before activation are lost.
    await statusItem(page).waitFor({ timeout: 120000 });
    // The engine comes from the package alone: nothing of the checkout above it.
    assert.ok(fs.existsSync(path.join(s!.extensionDir, 'node_modules', 'node-llama-cpp', 'package.json')), 'the package carries node-llama-cpp');
    for (let dir = path.dirname(s!.extensionDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      assert.ok(!fs.existsSync(path.join(dir, 'node_modules')), `${dir} has a node_modules folder the engine could load from`);
    }
    await runCommand(page, 'Completion Lab: Start model servers');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Embedded engine' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: /embedded engine ready at http/ }).waitFor({ timeout: 180000 });
    await quickOpen(page, 'main.py');
    const editor = page.locator('.monaco-editor[data-uri$="main.py"]');
    // Click at the end of the file's last code line, then start a new top-level line.
    await editor.locator('.view-line', { hasText: 'main()' }).last().click();
    await page.keyboard.press('Control+End');
    // A new function's first line, then Enter onto its (auto-indented) body, as one types a
    // function: the body is what any code model fills in. At the end of the def line itself,
    // with nothing after it, the bundled model often answers just a line break, which is
    // rightly shown as nothing.
    const typed = 'def count_lines(path):';
    await page.keyboard.type(typed, { delay: 20 });
    await page.keyboard.press('Enter');

    await editor.locator(ghostSelector).first().waitFor({ state: 'visible', timeout: 120000 });
    // What is on screen: the part on the cursor's line (it may span several spans), then the lines below.
    const inline = plain((await editor.locator(`.view-line :is(${inlineGhost})`).allTextContents()).join(''));
    const below = (await editor.locator('.suggest-preview-text .view-line').allTextContents()).map(plain);
    const ghostText = [inline, ...below].join('\n');
    assert.ok(ghostText.trim().length > 0, `ghost text is empty: ${JSON.stringify(ghostText)}`);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, 'main.py');
    const deadline = Date.now() + 30000;
    let saved = '';
    while (Date.now() < deadline) {
      saved = fs.readFileSync(file, 'utf8');
      if (saved.includes(typed)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(squash(saved).includes(squash(`${typed}\n${ghostText}`)), `the saved file does not hold the typed text followed by the ghost text ${JSON.stringify(ghostText)}:\n${saved.slice(-400)}`);

    const status = statusItem(page);
    await status.waitFor({ timeout: 60000 });
    const deadline2 = Date.now() + 60000;
    let statusText = '';
    while (Date.now() < deadline2) {
      statusText = plain(await status.textContent()).trim();
      if (/TTFT \d+(\.\d+)? m?s/.test(statusText)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(statusText, /TTFT \d+(\.\d+)? m?s/, `status bar item: ${JSON.stringify(statusText)}`);
    console.log(`      status bar: ${statusText}`);
    console.log(`      ghost text accepted: ${JSON.stringify(ghostText)}`);
    await page.screenshot({ path: path.join(resultsDir(), 'e2e-ghost-text-accepted.png') });

    // The README's picture: a fresh suggestion on screen and the status bar with numbers.
    // The bundled model samples (temperature 0.2) and may answer a spot with nothing at all,
    // which rightly shows no ghost text: ask at the next line, then a third, before failing.
    const shown = async (ms: number): Promise<boolean> =>
      editor.locator(ghostSelector).first().waitFor({ state: 'visible', timeout: ms }).then(() => true, () => false);
    const lines = ['total = 0', 'with open(path) as f:', 'for line in f:'];
    let pictured = false;
    for (const line of lines) {
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type(line, { delay: 20 });
      pictured = await shown(40000);
      if (!pictured) {
        await runCommand(page, 'Completion Lab: Suggest a completion now');
        pictured = await shown(40000);
      }
      if (pictured) break;
    }
    assert.ok(pictured, `no ghost text after any of ${JSON.stringify(lines)}`);
    await page.screenshot({ path: readmePicture('screenshot.png') });
  });
});
