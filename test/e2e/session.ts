// One end-to-end session: a packaged .vsix installed into a fresh code-server, a temp copy
// of sample-workspace, and headless Chromium on the workbench. Two packages, two user paths:
//   'universal'  the package without the engine, talking to a server that is already running
//                (the tiny embedded engine, started by the harness, stands in for vLLM)
//   'linux-x64'  the per-platform package, unpacked under the temp dir (no node_modules of the
//                checkout anywhere above it); the test starts its own embedded engine with
//                the command palette, as a user does
// Suites call startSession() in before() and session.stop() in after().
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '../../test-tools/node_modules/playwright-core';

type Harness = typeof import('../../scripts/lib/harness.mjs', { with: { 'resolution-mode': 'import' } });

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export async function loadHarness(): Promise<Harness> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'lib', 'harness.mjs')).href)) as Harness;
}

export type PackageKind = 'universal' | 'linux-x64';

export interface Session {
  page: Page;
  /** The temp workspace folder code-server has open (files on disk can be read back). */
  workspace: string;
  /** The folder the extension was unpacked into. */
  extensionDir: string;
  stop(): Promise<void>;
}

/** Builds the .vsix (production bundle) and unpacks it the way VS Code lays it out. */
async function installVsix(h: Harness, kind: PackageKind, extensionsDir: string): Promise<string> {
  const vsix = await h.packageVsix(kind === 'universal' ? {} : { target: kind });
  const unpacked = path.join(extensionsDir, '.unpacked');
  // `unzip` rather than a zip library: the e2e tier already needs Debian tools (chromium).
  await h.mustRun('unzip', ['-q', '-o', vsix, 'extension/*', '-d', unpacked]);
  const dir = path.join(extensionsDir, h.installedFolderName());
  fs.renameSync(path.join(unpacked, 'extension'), dir);
  fs.rmSync(unpacked, { recursive: true, force: true });
  return dir;
}

export interface SessionOptions {
  /** VS Code's display language from the start (see setDisplayLanguage); unset: English. */
  locale?: string;
  /** false: no model server at all (the universal package then shows "server unreachable"). */
  engine?: boolean;
  /**
   * The extension's settings instead of the harness's engine and profiles (the suite runs
   * its own servers), merged over the quiet workbench settings.
   */
  settings?: Record<string, unknown>;
}

export async function startSession(kind: PackageKind = 'universal', opts: SessionOptions = {}): Promise<Session> {
  const h = await loadHarness();
  h.killGroupsOnExit();
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch((e: Error) => console.error(`[e2e] cleanup: ${e.message}`));
  };
  try {
    let settings = h.quietSettings(opts.settings);
    if (kind === 'universal' && !opts.settings && opts.engine !== false) {
      const engine = await h.startEngine();
      stops.push(() => engine.stop());
      settings = h.completionSettings(engine.url);
    }
    const { dir, workspace } = h.prepareWorkspace(path.join(repoRoot, 'sample-workspace'), settings, 'e2e');
    stops.push(() => h.removeTemp(dir));
    const extensionsDir = path.join(dir, 'exts');
    fs.mkdirSync(extensionsDir, { recursive: true });
    const extensionDir = await installVsix(h, kind, extensionsDir);
    const userDataDir = path.join(dir, 'user-data');
    if (opts.locale) setDisplayLanguage(userDataDir, opts.locale);
    const server = await h.startCodeServer({ workspace, userDataDir, extensionsDir });
    stops.push(() => server.stop());
    const browser = await h.launchBrowser();
    stops.push(() => browser.close());
    const { page } = browser;
    page.on('pageerror', (err: Error) => console.error(`[e2e] page error: ${err.message}`));
    // A busy machine loads the workbench slowly (Playwright's 30 s default was seen to expire).
    await page.goto(h.workbenchUrl(server.port, workspace), { timeout: 120000 });
    await page.waitForSelector('#workbench\\.parts\\.statusbar', { timeout: 120000 });
    return { page, workspace, extensionDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * VS Code's display language, set before code-server starts as "Configure Display Language"
 * sets it: `locale` in argv.json. VS Code applies a locale only where a language pack for it
 * is installed, and none can be downloaded here, so an empty pack is registered in
 * languagepacks.json (VS Code's list of installed packs): VS Code's own UI stays English,
 * while the extension's package.nls.<locale>.json and l10n bundle apply as for a user.
 */
function setDisplayLanguage(userDataDir: string, locale: string): void {
  const translations = path.join(userDataDir, `empty-language-pack.${locale}.json`);
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = { hash: `empty-${locale}`, extensions: [{ extensionIdentifier: { id: 'completion-lab-tests.empty-language-pack' }, version: '0.0.0' }], translations: { vscode: translations }, label: locale };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
  fs.writeFileSync(path.join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale }));
}

/** Runs a command from the command palette (F1), waiting for its row before Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open, the way a user does. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  // Right after load the file index may still be building and the first Ctrl+P can land
  // before the workbench has focus: retry the whole gesture rather than wait blindly.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    try {
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await input.fill(name);
      // Enter before the result row exists opens nothing.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15000 });
      break;
    } catch (err) {
      if (attempt >= 4) {
        await page.screenshot({ path: path.join(resultsDir(), 'e2e-quick-open-failed.png') });
        throw err;
      }
    }
  }
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-editor[data-uri$="${name}"]`).waitFor({ timeout: 30000 });
}

/** The status bar item of this extension (found by its text: it shows TTFT). */
export function statusItem(page: Page) {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /TTFT|Completion Lab/ }).first();
}

export function resultsDir(): string {
  const dir = path.join(repoRoot, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Where a README picture goes: media/ when COMPLETION_LAB_UPDATE_SCREENSHOTS=1 (so a test
 * run does not dirty the tree), else test-results/.
 */
export function readmePicture(name: string): string {
  return process.env.COMPLETION_LAB_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'media', name) : path.join(resultsDir(), name);
}

/** A screenshot and the status bar text when a test failed, in test-results/. */
export async function recordFailure(s: Session | undefined, label: string): Promise<void> {
  if (!s) return;
  const shot = path.join(resultsDir(), `e2e-${label}-failed-${Date.now()}.png`);
  await s.page.screenshot({ path: shot }).catch(() => undefined);
  const status = await s.page.locator('#workbench\\.parts\\.statusbar').textContent().catch(() => '');
  console.log(`      (failure screenshot: ${shot}; status bar: ${(status ?? '').replace(/\u00a0/g, ' ').trim()})`);
}
