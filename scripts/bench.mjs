#!/usr/bin/env node
// `npm run bench`: builds, compiles, then runs every out/test/bench/*.js in turn. Each bench
// prints its own markdown tables; speed is measured here, never asserted in tests.
// `npm run bench -- NAME` runs only the benches whose file name contains NAME.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, run, mustRun } from './lib/harness.mjs';

const filter = process.argv[2];
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

async function main() {
  await mustRun(process.execPath, ['esbuild.js'], { cwd: repoRoot });
  const tsc = await run(npx, ['tsc', '-p', 'tsconfig.test.json'], { cwd: repoRoot });
  if (tsc !== 0) console.log('bench: tsc reported type errors (above); running what it emitted.');
  const dir = path.join(repoRoot, 'out', 'test', 'bench');
  const benches = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    .filter((f) => f.endsWith('.js') && (!filter || f.includes(filter)))
    .sort();
  if (benches.length === 0) {
    console.error(`bench: no benches in out/test/bench${filter ? ` matching "${filter}"` : ''}.`);
    return 1;
  }
  const failed = [];
  for (const b of benches) {
    console.log(`\n## ${b.replace(/\.js$/, '')}\n`);
    const t0 = Date.now();
    const code = await run(process.execPath, [path.join(dir, b)], { cwd: repoRoot });
    console.log(`\n_(${b}: ${((Date.now() - t0) / 1000).toFixed(1)} s${code ? `, exit ${code}` : ''})_`);
    if (code !== 0) failed.push(b);
  }
  if (failed.length) console.error(`\nbench: failed: ${failed.join(', ')}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
  },
);
