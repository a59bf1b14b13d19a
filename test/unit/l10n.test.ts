// Every language file has the same keys, every string the code translates has a Chinese
// translation, and package.json's user-facing strings all go through package.nls*.json.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as ts from 'typescript';
import { terminalLanguage } from '../../src/cli/language';
import { repoRoot } from '../support/engine';
import { joinItems, joinRows, labelled } from '../../webview/separators';

const readJson = (rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8')) as Record<string, unknown>;
/** The translated text of a bundle entry: a string, or `{message, comment}` as l10n-dev writes entries with comments. */
const text = (v: unknown): string => (typeof v === 'string' ? v : (v as { message: string }).message);
const placeholders = (s: string): string[] => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

/** Keys present in one file and missing from the other, as readable lines (empty: none). */
function keyDiff(a: Record<string, unknown>, aName: string, b: Record<string, unknown>, bName: string): string[] {
  return [
    ...Object.keys(a).filter((k) => !(k in b)).map((k) => `"${k}" is in ${aName}, not in ${bName}`),
    ...Object.keys(b).filter((k) => !(k in a)).map((k) => `"${k}" is in ${bName}, not in ${aName}`),
  ];
}

/** Translations whose {0}-style placeholders differ from the English text's. */
function placeholderDiff(en: Record<string, unknown>, zh: Record<string, unknown>): string[] {
  return Object.keys(en).filter((k) => k in zh && placeholders(text(en[k])).join() !== placeholders(text(zh[k])).join()).map((k) => `"${k}": placeholders differ`);
}

const sourceDirs = ['src', 'webview'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

interface Call { where: string; key?: string }

/** Every `l10n.t(...)` call: its key (the message, or `message/comment` as VS Code forms it), or none when it is not a literal. */
function l10nCalls(file: string): Call[] {
  const src = ts.createSourceFile(file, fs.readFileSync(path.join(repoRoot, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const calls: Call[] = [];
  const literal = (n: ts.Node | undefined): string | undefined => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined);
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && /(^|\.)l10n\.t$/.test(n.expression.getText(src))) {
      const where = `${file}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const arg = n.arguments[0];
      let key = literal(arg);
      if (arg && ts.isObjectLiteralExpression(arg)) {
        const prop = (name: string) => arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(src) === name)?.initializer;
        const message = literal(prop('message'));
        const comment = prop('comment');
        const comments = comment && ts.isArrayLiteralExpression(comment) ? comment.elements.map(literal) : [literal(comment)];
        key = message === undefined || comments.some((c) => c === undefined && comment) ? undefined : comment ? `${message}/${comments.join('')}` : message;
      }
      calls.push({ where, ...(key !== undefined ? { key } : {}) });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return calls;
}

describe('localization', () => {
  it('package.nls.json and package.nls.zh-cn.json have the same keys and placeholders', () => {
    const en = readJson('package.nls.json');
    const zh = readJson('package.nls.zh-cn.json');
    assert.deepEqual([...keyDiff(en, 'package.nls.json', zh, 'package.nls.zh-cn.json'), ...placeholderDiff(en, zh)], []);
  });

  it('the l10n bundles (English and Simplified Chinese) have the same keys and placeholders', () => {
    const en = readJson('l10n/bundle.l10n.json');
    const zh = readJson('l10n/bundle.l10n.zh-cn.json');
    assert.deepEqual([...keyDiff(en, 'bundle.l10n.json', zh, 'bundle.l10n.zh-cn.json'), ...placeholderDiff(en, zh)], []);
    // Plain strings only: an entry in the { message, comment } form (l10n.t with a comment)
    // made code-server drop the panel when the window reloaded (test/e2e/panel.test.ts).
    assert.deepEqual(Object.keys(en).filter((k) => typeof en[k] !== 'string'), [], 'entries with a comment: give the message its own words instead');
  });

  it('no translation is left empty or in English where the English text has words', () => {
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [[readJson('package.nls.json'), readJson('package.nls.zh-cn.json')], [readJson('l10n/bundle.l10n.json'), readJson('l10n/bundle.l10n.zh-cn.json')]];
    const untranslated = pairs.flatMap(([en, zh]) => Object.keys(zh).filter((k) => {
      const t = text(zh[k]);
      // Text with two English words or more must read in Chinese; "TTFT p50" or "GPU {0}" may stay as is.
      return !t.trim() || (t === text(en[k]) && /[a-z]{3,}\s+[a-z]{3,}/i.test(t.replace(/\{\d+\}|`[^`]*`|\$\([\w-]+\)/g, '')));
    }));
    assert.deepEqual(untranslated, []);
  });

  it('every user-facing string in package.json is a %key% of package.nls.json', () => {
    const pkg = readJson('package.json');
    const nls = readJson('package.nls.json');
    const problems: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${at}[${i}]`));
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        const here = `${at}.${k}`;
        const shown = ['description', 'markdownDescription', 'title', 'markdownDeprecationMessage', 'deprecationMessage', 'enumDescriptions'].includes(k);
        // The product's name stays as is: command category and settings title.
        const strings = shown ? (Array.isArray(x) ? x : [x]).filter((s): s is string => typeof s === 'string' && s !== 'Completion Lab') : [];
        for (const s of strings) {
          const m = /^%(.+)%$/.exec(s);
          if (!m) problems.push(`${here}: "${s.slice(0, 40)}…" is not a %key%`);
          else if (!(m[1]! in nls)) problems.push(`${here}: %${m[1]}% is not in package.nls.json`);
        }
        if (!shown) walk(x, here);
      }
    };
    walk({ description: pkg['description'], capabilities: pkg['capabilities'], contributes: pkg['contributes'] }, 'package.json');
    assert.deepEqual(problems, []);
  });

  it('every l10n.t() in src/ and the panel has a literal key with a Chinese translation, and the bundle has no unused key', function () {
    this.timeout(30_000); // parses every source file of src/ and webview/
    const calls = sourceDirs.flatMap(sourceFiles).flatMap(l10nCalls);
    assert.ok(calls.length > 50, `only ${calls.length} l10n.t() calls found`);
    const zh = readJson('l10n/bundle.l10n.zh-cn.json');
    const en = readJson('l10n/bundle.l10n.json');
    assert.deepEqual(calls.filter((c) => c.key === undefined).map((c) => `${c.where}: the key is not a literal, so no check can see whether it is translated`), []);
    assert.deepEqual(calls.filter((c) => !(c.key! in zh)).map((c) => `${c.where}: "${c.key}" has no key in l10n/bundle.l10n.zh-cn.json`), []);
    const used = new Set(calls.map((c) => c.key));
    assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)).map((k) => `"${k}" is in l10n/bundle.l10n.json but no code uses it`), []);
  });

  it('the CLI speaks the terminal\'s language (LC_ALL, LC_MESSAGES, LANG) where a bundle ships, English otherwise', function () {
    this.timeout(60_000);
    assert.equal(terminalLanguage({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(terminalLanguage({ LC_ALL: 'de_DE@euro', LANG: 'zh_CN.UTF-8' }), 'de-de');
    assert.equal(terminalLanguage({ LC_MESSAGES: 'fr', LANG: 'zh_CN.UTF-8' }), 'fr');
    assert.equal(terminalLanguage({ LANG: 'C.UTF-8' }), undefined);
    const help = (LANG: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LANG };
      delete env['LC_ALL'];
      delete env['LC_MESSAGES'];
      return spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), '--help'], { encoding: 'utf8', env }).stdout;
    };
    assert.match(help('zh_CN.UTF-8'), /^用法：completion-lab <命令> \[选项\]\n\n命令：\n {2}serve {8}运行内置的 llama\.cpp 引擎/);
    assert.match(help('C.UTF-8'), /^Usage: completion-lab <command> \[options\]/);
    assert.match(help('ja_JP.UTF-8'), /^Usage: /, 'no Japanese bundle: English');
  });

  it('the CLI\'s subcommand help and the core\'s messages (profile errors, GPU tool) follow the terminal\'s language too', function () {
    this.timeout(60_000);
    const cli = (LANG: string, ...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LANG, PATH: '/nonexistent' };
      delete env['LC_ALL'];
      delete env['LC_MESSAGES'];
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env });
      return r.stdout + r.stderr;
    };
    for (const command of ['serve', 'complete', 'compare', 'probe', 'gpu', 'tiny-model']) {
      assert.match(cli('zh_CN.UTF-8', command, '--help'), new RegExp(`^用法：completion-lab ${command} `), command);
      assert.match(cli('C.UTF-8', command, '--help'), new RegExp(`^Usage: completion-lab ${command} `), command);
    }
    assert.match(cli('zh_CN.UTF-8', 'compare', '--profile', 'a=ftp://x', '--profile', 'b=http://127.0.0.1:1'), /: 端点“ftp:\/\/x”必须以 http:\/\/ 或 https:\/\/ 开头。/, 'the profile check, without the label --profile already gives');
    assert.match(cli('C.UTF-8', 'compare', '--profile', 'a=ftp://x', '--profile', 'b=http://127.0.0.1:1'), /: endpoint "ftp:\/\/x" must start with http:\/\/ or https:\/\/\./);
    assert.match(cli('zh_CN.UTF-8', 'gpu', '--tool', 'rocm-smi', '--count', '1'), /PATH 中找不到 rocm-smi。/, 'the GPU sampler\'s message');
  });

  it('the panel\'s chart descriptions join their numbers with the display language\'s punctuation', () => {
    try {
      l10n.config({ contents: readJson('l10n/bundle.l10n.zh-cn.json') as l10n.l10nJsonFormat });
      assert.equal(joinRows([joinItems(['a 1', 'b 2', 'c 3']), labelled('d', '4')]), 'a 1，b 2，c 3；d：4');
    } finally {
      l10n.config({ contents: {} }); // the other tests read English
    }
    assert.equal(joinRows([joinItems(['a 1', 'b 2', 'c 3']), labelled('d', '4')]), 'a 1, b 2, c 3; d: 4');
    assert.equal(joinItems([]), '');
  });
});
