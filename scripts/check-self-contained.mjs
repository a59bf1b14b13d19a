#!/usr/bin/env node
// A user's clone has nothing beside it: fails when a tracked file points at a folder next to
// the checkout (the shared fixtures once lived there, and a green CI hid that the tests read
// them). Fixtures a test needs are copied into test/fixtures/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './lib/paths.mjs';

// Built from parts so this file does not match itself: "<parent>/shared" and the
// path.join form "'<parent>', 'shared'".
const up = '\\.\\.';
const outside = new RegExp(`${up}[/\\\\]shared\\b|['"]${up}['"]\\s*,\\s*['"]shared['"]`);

let files;
try {
  files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 }).split('\0').filter(Boolean);
} catch {
  console.log('[self-contained] not a git checkout: nothing to check');
  process.exit(0);
}
const hits = [];
for (const f of files) {
  const abs = path.join(repoRoot, f);
  if (!fs.existsSync(abs) || fs.statSync(abs).size > 4 << 20) continue;
  const lines = fs.readFileSync(abs, 'utf8').split('\n');
  lines.forEach((l, i) => outside.test(l) && hits.push(`${f}:${i + 1}: ${l.trim().slice(0, 160)}`));
}
if (hits.length) {
  console.error(`[self-contained] ${hits.length} tracked line(s) point outside the repository; copy what they need into test/fixtures/:`);
  for (const h of hits) console.error(`  ${h}`);
  process.exit(1);
}
console.log(`[self-contained] ${files.length} tracked files, none reads a folder beside the checkout`);
