// Runs one test tier as a child process: its output streams live and is scanned for
// mocha's closing lines ("N passing", "N failing", "N pending") to total the counts, or,
// where a results file is named (the extension host's tiers), the counts are read from it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * The fewest tests each tier must run: a tier that ran fewer (an empty out/test, a grep that
 * matched nothing, a suite that failed to load) fails the run instead of passing with 0.
 * Raise these when tests are added.
 */
export const MIN_TESTS = { unit: 300, integration: 36, e2e: 4 };

/** Failure messages for a tier's counts: below its minimum, or nothing ran at all. */
export function countProblems(name, r) {
  const ran = r.passed + r.failed;
  const min = MIN_TESTS[name] ?? 1;
  if (ran === 0) return [`${name} ran no tests`];
  if (ran < min) return [`${name} ran ${ran} tests, fewer than its minimum of ${min} (scripts/lib/tiers.mjs)`];
  return [];
}

/** Counts written by the extension host's mocha runner (test/integration/index.ts). */
function readResults(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { passed: Number(r.passed) || 0, failed: Number(r.failed) || 0, skipped: Number(r.pending) || 0 };
  } catch {
    return undefined;
  }
}

const countLine = /(?:^|\]\s)\s*(\d+) (passing|failing|pending)\b/;

/** @returns {Promise<{passed:number, failed:number, skipped:number, code:number, seconds:number}>} */
export function runTier(cmd, args, { resultsFile, ...opts } = {}) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const scan = (stream, out) => {
      let rest = '';
      stream.on('data', (d) => {
        out.write(d);
        rest += d.toString();
        let nl;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          const m = countLine.exec(line);
          if (!m) continue;
          const n = Number(m[1]);
          if (m[2] === 'passing') counts.passed += n;
          else if (m[2] === 'failing') counts.failed += n;
          else counts.skipped += n;
        }
      });
    };
    scan(child.stdout, process.stdout);
    scan(child.stderr, process.stderr);
    // Forward Ctrl+C so the tier can kill what it started.
    const onSigint = () => child.kill('SIGINT');
    process.on('SIGINT', onSigint);
    child.on('error', (err) => {
      console.error(`[test] could not start ${cmd}: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', onSigint);
      const fromFile = resultsFile ? (readResults(resultsFile) ?? { passed: 0, failed: 0, skipped: 0 }) : undefined;
      resolve({ ...(fromFile ?? counts), code: code ?? (signal ? 1 : 0), seconds: (Date.now() - t0) / 1000 });
    });
  });
}
