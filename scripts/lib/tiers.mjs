// Runs one test tier as a child process: its output streams live and is scanned for
// mocha's closing lines ("N passing", "N failing", "N pending") to total the counts.
import { spawn } from 'node:child_process';

const countLine = /(?:^|\]\s)\s*(\d+) (passing|failing|pending)\b/;

/** @returns {Promise<{passed:number, failed:number, skipped:number, code:number, seconds:number}>} */
export function runTier(cmd, args, opts = {}) {
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
      resolve({ ...counts, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - t0) / 1000 });
    });
  });
}
