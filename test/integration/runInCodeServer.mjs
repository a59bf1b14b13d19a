#!/usr/bin/env node
// Runs the integration suites (out/test/integration/index.js) inside a real VS Code
// extension host: code-server's, driven by headless Chromium. code-server rejects
// --extensionDevelopmentPath, but with the smoke-test driver enabled the workbench takes
// the development extension and the tests path from the URL's `payload`, and calls
// window.codeAutomationExit(code) when the tests end. Exit code = the suites' result.
//
// Env: COMPLETION_LAB_TEST_ENGINE_URL  use this server instead of starting the tiny engine
//      COMPLETION_LAB_TEST_ENGINE_LOG  that server's --log-requests file (suites that read prompts skip without it)
//      COMPLETION_LAB_TEST_TIMEOUT_S   hard limit for the whole run (default 600)
//      COMPLETION_LAB_TEST_GREP        only tests whose full title matches (mocha --grep)
//      COMPLETION_LAB_KEEP_TEMP=1      keep the temp workspace / profiles for a post-mortem
//      COMPLETION_LAB_DEBUG=1          also print the workbench's own console
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import {
  repoRoot, startEngine, prepareWorkspace, completionSettings, startCodeServer, workbenchUrl,
  launchBrowser, consoleText, removeTemp, killGroupsOnExit, killAllNow,
} from '../../scripts/lib/harness.mjs';

const timeoutS = Number(process.env.COMPLETION_LAB_TEST_TIMEOUT_S ?? 600);
const testMark = '[ext-test] ';
const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');

async function main() {
  if (!fs.existsSync(testsPath)) throw new Error(`${testsPath} is missing: run "npx tsc -p tsconfig.test.json" first.`);
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run "node esbuild.js" first.');
  killGroupsOnExit();
  const cleanups = [];
  const hardStop = setTimeout(() => {
    console.error(`[integration] hard timeout: the run took longer than ${timeoutS}s; killing everything.`);
    killAllNow();
    process.exit(124);
  }, timeoutS * 1000);
  hardStop.unref();
  try {
    let engineUrl = process.env.COMPLETION_LAB_TEST_ENGINE_URL;
    // What the engine received, one JSON line per completion request: suites read the prompts there.
    let requestLog = process.env.COMPLETION_LAB_TEST_ENGINE_LOG ?? '';
    if (!engineUrl) {
      const t0 = Date.now();
      requestLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'completion-lab-requests-')), 'requests.jsonl');
      cleanups.push(() => fs.rmSync(path.dirname(requestLog), { recursive: true, force: true }));
      const engine = await startEngine({ args: ['--log-requests', requestLog] });
      cleanups.push(() => engine.stop());
      engineUrl = engine.url;
      console.log(`[integration] engine ready at ${engine.url} (model ${engine.model}, ${Date.now() - t0} ms)`);
    }
    const { dir, workspace } = prepareWorkspace(path.join(repoRoot, 'test', 'integration', 'workspace'), completionSettings(engineUrl), 'integration');
    cleanups.push(() => removeTemp(dir));
    const server = await startCodeServer({
      workspace,
      userDataDir: path.join(dir, 'user-data'),
      extensionsDir: path.join(dir, 'exts'),
      smokeTestDriver: true,
      env: { COMPLETION_LAB_LOG_TO_CONSOLE: "1", COMPLETION_LAB_TEST_ENGINE_URL: engineUrl, COMPLETION_LAB_TEST_ENGINE_LOG: requestLog, COMPLETION_LAB_TEST_WORKSPACE: workspace, COMPLETION_LAB_TEST_CONSOLE_MARK: testMark, ...(process.env.COMPLETION_LAB_TEST_RESULTS ? { COMPLETION_LAB_TEST_RESULTS: process.env.COMPLETION_LAB_TEST_RESULTS } : {}) },
    });
    cleanups.push(() => server.stop());
    console.log(`[integration] code-server at ${server.url}`);

    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const { page } = browser;
    const exitCode = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => {
        resolve(typeof code === 'number' ? code : 1);
      });
      page.on('crash', () => {
        console.error('[integration] the browser page crashed');
        resolve(1);
      });
    });
    // index.js marks what the tests print (the workbench logs a lot at the same level).
    page.on('console', (msg) => {
      void consoleText(msg).then((text) => {
        if (text.startsWith(testMark)) console.log(text.slice(testMark.length));
        else if (process.env.COMPLETION_LAB_DEBUG) console.log(`[workbench] ${text}`);
      });
    });
    page.on('pageerror', (err) => console.error(`[integration] page error: ${err.message}`));
    // The workbench loads slowly on a busy 2-core machine: Playwright's 30 s default was seen to expire.
    await page.goto(workbenchUrl(server.port, workspace, { extensionDevelopmentPath: repoRoot, extensionTestsPath: testsPath }), { timeout: 120000 });
    // The counts come from the results file the suites write (see test/integration/index.ts);
    // the console output is only for people reading the log.
    const code = await exitCode;
    if (code !== 0) {
      console.error(`[integration] the suites ended with exit code ${code}`);
      if (process.env.COMPLETION_LAB_DEBUG) console.error(server.output());
    }
    return code;
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e) => console.error(`[integration] cleanup: ${e.message}`));
    clearTimeout(hardStop);
  }
}


main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[integration] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
