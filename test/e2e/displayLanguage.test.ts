// The extension in Simplified Chinese: code-server started with the display language zh-cn
// and no model server, as a new user in China first sees it. The status bar, its menu, a
// command title in the palette and the panel read in Chinese; the screenshot shows the glyphs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { recordFailure, resultsDir, runCommand, startSession, statusItem, type Session } from './session';

describe('e2e: in the display language (zh-cn)', function () {
  this.timeout(600000);
  let s: Session | undefined;

  before(async () => {
    s = await startSession('universal', { locale: 'zh-cn', engine: false });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(s, 'zh-cn');
  });

  after(async () => {
    await s?.stop();
  });

  it('shows the status bar, its menu, a command title and the panel in Chinese', async () => {
    const { page } = s!;
    // No server runs: the status bar says so, in Chinese (l10n bundle).
    const item = statusItem(page);
    await item.filter({ hasText: '无法连接服务器' }).waitFor({ timeout: 180000 });

    // Its menu (a click on it) lists the actions in Chinese.
    await item.click();
    const menu = page.locator('.quick-input-widget');
    await menu.locator('.quick-input-list .monaco-list-row', { hasText: '显示性能分析面板' }).first().waitFor({ timeout: 30000 });
    assert.ok(await menu.locator('.quick-input-list .monaco-list-row', { hasText: '关闭内联补全' }).count(), 'the toggle entry reads in Chinese');
    await page.keyboard.press('Escape');

    // The command palette finds the command by its Chinese title (package.nls.zh-cn.json).
    await runCommand(page, 'Completion Lab: 显示性能分析面板');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('section.comparison h2', { hasText: '模型对比' }).waitFor({ timeout: 60000 });
    assert.equal(await frame.locator('html').getAttribute('lang'), 'zh-cn', 'numbers and dates follow the display language');
    assert.deepEqual(await frame.locator('.actions vscode-button').allTextContents(), ['选择模型', '运行对比', '导出数据', '清除已记录的流量']);
    assert.match((await frame.locator('section.comparison p').first().textContent()) ?? '', /^还没有模型对比。/);
    await page.screenshot({ path: path.join(resultsDir(), 'e2e-zh-cn.png') });
  });
});
