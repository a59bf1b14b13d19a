#!/usr/bin/env node
// `npm test [-- unit|integration|e2e|all]`: builds once, then runs the tiers of DESIGN.md
// ("Testing: real parts, three tiers") and ends with one line "N passed, M failed".
//   unit         mocha on out/test/unit (plain Node, no VS Code)
//   integration  the suites in out/test/integration/suite inside a real extension host:
//                code-server + headless Chromium (default), or @vscode/test-electron with
//                COMPLETION_LAB_VSCODE=electron where VS Code can be downloaded
//   e2e          mocha on out/test/e2e: the packaged .vsix in code-server, driven by Chromium
// `all` also runs `npm run typecheck` and `npm run lint` first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, testToolsInstalled } from './lib/paths.mjs';
import { run } from './lib/processes.mjs';
import * as os from 'node:os';
import { countProblems, runTier } from './lib/tiers.mjs';
import { startEngine, prepareWorkspace, completionSettings, removeTemp, killGroupsOnExit } from './lib/harness.mjs';

const tiers = ['unit', 'integration', 'e2e'];
const arg = process.argv[2] ?? 'all';
if (arg !== 'all' && !tiers.includes(arg)) {
  console.error(`Usage: node scripts/test.mjs [${tiers.join('|')}|all]   (got "${arg}")`);
  process.exit(2);
}
const selected = arg === 'all' ? tiers : [arg];
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const total = { passed: 0, failed: 0, skipped: 0 };
const timings = [];
const failures = [];
killGroupsOnExit();

function section(title) {
  console.log(`\n=== ${title} ===`);
}

/** A build or check step: a non-zero exit counts as one failure (named in the summary). */
async function step(name, cmd, args, { fatal = false } = {}) {
  section(name);
  const t0 = Date.now();
  const code = await run(cmd, args, { cwd: repoRoot });
  timings.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (code !== 0) {
    total.failed += 1;
    failures.push(`${name} (exit ${code})`);
    if (fatal) finish();
  }
  return code === 0;
}

function addTier(name, r) {
  timings.push(`${name} ${r.seconds.toFixed(1)} s`);
  total.passed += r.passed;
  total.skipped += r.skipped;
  total.failed += r.failed;
  if (r.failed > 0) failures.push(`${name}: ${r.failed} failing`);
  for (const p of countProblems(name, r)) {
    total.failed += 1;
    failures.push(p);
  }
  if (r.code !== 0 && r.failed === 0) {
    // The tier died before mocha could report a failure (a crash, a timeout, a build error).
    total.failed += 1;
    failures.push(`${name} exited with code ${r.code} without reporting failing tests`);
  }
}

function finish() {
  console.log('');
  if (timings.length) console.log(`[test] timings: ${timings.join(', ')}`);
  for (const f of failures) console.log(`[test] FAILED: ${f}`);
  const skipped = total.skipped ? `, ${total.skipped} skipped` : '';
  console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
  process.exit(total.failed > 0 ? 1 : 0);
}

function compiledTests(dir) {
  const abs = path.join(repoRoot, 'out', 'test', dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join('out', 'test', dir, f))
    .sort();
}

async function unit() {
  section('unit tests');
  const files = compiledTests('unit');
  addTier('unit', files.length === 0 ? noTests() : await runTier(npx, ['mocha', '--forbid-only', '--timeout', '60000', ...files], { cwd: repoRoot }));
}

/** A tier with no compiled test files: zero counts, which countProblems() fails. */
function noTests() {
  return { passed: 0, failed: 0, skipped: 0, code: 0, seconds: 0 };
}

/** Where the extension host's mocha runner writes its counts (test/integration/index.ts). */
function resultsFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'completion-lab-results-'));
  return path.join(dir, 'results.json');
}

async function integration() {
  section('integration tests (inside a VS Code extension host)');
  const results = resultsFile();
  const env = { ...process.env, COMPLETION_LAB_TEST_RESULTS: results };
  if (process.env.COMPLETION_LAB_VSCODE === 'electron') return addTier('integration', await integrationElectron(results));
  addTier('integration', await runTier(process.execPath, ['test/integration/runInCodeServer.mjs'], { cwd: repoRoot, env, resultsFile: results }));
}

async function integrationElectron(results) {
  const t0 = Date.now();
  const engine = await startEngine();
  const { dir, workspace } = prepareWorkspace(path.join(repoRoot, 'test', 'integration', 'workspace'), completionSettings(engine.url), 'integration');
  try {
    const env = { ...process.env, COMPLETION_LAB_TEST_ENGINE_URL: engine.url, COMPLETION_LAB_TEST_WORKSPACE: workspace, COMPLETION_LAB_TEST_RESULTS: results };
    const r = await runTier(process.execPath, ['out/test/integration/runElectron.js'], { cwd: repoRoot, env, resultsFile: results });
    return { ...r, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await engine.stop();
    removeTemp(dir);
  }
}

async function e2e() {
  section('end-to-end tests (packaged extension, code-server, Chromium)');
  const files = compiledTests('e2e');
  addTier('e2e', files.length === 0 ? noTests() : await runTier(npx, ['mocha', '--forbid-only', '--timeout', '600000', ...files], { cwd: repoRoot }));
}

async function main() {
  // Before typecheck too: test/e2e takes Playwright's types from test-tools.
  if (selected.some((t) => t !== 'unit') && !testToolsInstalled()) {
    await step('install test tools (Node 24, code-server, playwright-core; first time ~4 min)', 'bash', ['test-tools/install.sh'], { fatal: true });
  }
  if (arg === 'all') {
    await step('typecheck', npm, ['run', '--silent', 'typecheck']);
    await step('lint', npm, ['run', '--silent', 'lint']);
  }
  await step('build (esbuild)', process.execPath, ['esbuild.js'], { fatal: true });
  // tsc emits even with type errors; those are counted by `typecheck` in `all`, so a
  // single tier still runs on what was emitted and only says so.
  section('compile tests (tsc -p tsconfig.test.json)');
  const t0 = Date.now();
  // From scratch: a test file deleted or renamed in test/ must not live on in out/test.
  fs.rmSync(path.join(repoRoot, 'out', 'test'), { recursive: true, force: true });
  const tscCode = await run(npx, ['tsc', '-p', 'tsconfig.test.json'], { cwd: repoRoot });
  timings.push(`compile ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (tscCode !== 0) console.log('[test] tsc reported type errors (above); running the tests on what it emitted.');
  if (selected.includes('unit')) await unit();
  if (selected.includes('integration')) await integration();
  if (selected.includes('e2e')) await e2e();
  finish();
}

main().catch((err) => {
  console.error(`[test] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  total.failed += 1;
  failures.push('test runner error');
  finish();
});
