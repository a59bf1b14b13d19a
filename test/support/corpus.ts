// Real source files for tests: they ship inside packages this repository installs, so the
// corpus exists on any clone after `npm install` (a language whose file is absent is skipped).
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

export interface CorpusFile {
  name: string;
  languageId: string;
  text: string;
}

const FILES: { rel: string; languageId: string }[] = [
  { rel: 'node_modules/typescript/lib/lib.es5.d.ts', languageId: 'typescript' }, // ~220 KB
  { rel: 'node_modules/mocha/lib/runner.js', languageId: 'javascript' },
  { rel: 'node_modules/chart.js/dist/chart.umd.min.js', languageId: 'javascript' }, // minified: one huge line
  { rel: 'node_modules/typescript/package.json', languageId: 'json' },
  { rel: 'node_modules/mocha/README.md', languageId: 'markdown' },
  { rel: 'node_modules/node-llama-cpp/llama/addon/AddonModelData.cpp', languageId: 'cpp' },
  { rel: 'node_modules/node-llama-cpp/llama/addon/addonGlobals.h', languageId: 'cpp' },
];

/** The corpus files present here, each also as a copy starting with an empty line (the shape that once looped forever). */
export function corpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const f of FILES) {
    const abs = path.join(root, f.rel);
    if (!fs.existsSync(abs)) continue;
    const text = fs.readFileSync(abs, 'utf8');
    out.push({ name: f.rel, languageId: f.languageId, text }, { name: `\\n + ${f.rel}`, languageId: f.languageId, text: `\n${text}` });
  }
  return out;
}

/** Cursor offsets: both ends, line starts and mid-line spots spread over the file. */
export function cursors(text: string, count = 8): number[] {
  const set = new Set([0, text.length, 1, Math.min(text.length, 2)]);
  for (let i = 1; i <= count; i++) {
    const at = Math.floor((text.length * i) / (count + 1));
    set.add(at);
    set.add(text.lastIndexOf('\n', at) + 1);
  }
  return [...set].sort((a, b) => a - b);
}
