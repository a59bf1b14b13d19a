import * as assert from 'node:assert/strict';
import { buildContext, countTokens, fitSnippets, importCandidates, rankSnippets, type ContextSnippet, type OtherFilesInput } from '../../src/core/context';
import { otherFilesStyle } from '../../src/core/pipeline/completeAt';
import { compiledTest, runBounded } from '../support/bounded';

const util = 'def scale(values, factor):\n    return [v * factor for v in values]\n\n\ndef total(values):\n    return sum(values)\n';

function snippet(path: string, text: string, source: ContextSnippet['source'] = 'edited', at = 1, languageId = 'python'): ContextSnippet {
  return { path, text, source, at, languageId };
}

function other(snippets: ContextSnippet[], style: OtherFilesInput['style'], minPrefixShare = 0.5): OtherFilesInput {
  return { snippets, currentPath: 'app/main.py', repoName: 'shop', languageId: 'python', style, minPrefixShare };
}

/** A Python file of `n` distinct lines. */
function longFile(n: number): string {
  return Array.from({ length: n }, (_, i) => `item_${i} = compute(${i}, "row ${i}")`).join('\n') + '\n';
}

describe('context: snippets of other files', function () {
  // The first count loads the tokenizer (~1 s).
  this.timeout(20_000);
  describe('ranking', () => {
    it('keeps the same language only, never the current file, imports before edits before views, newest first', () => {
      const ranked = rankSnippets(
        [
          snippet('viewed.py', 'a = 1', 'viewed', 50),
          snippet('old.py', 'b = 2', 'edited', 10),
          snippet('new.py', 'c = 3', 'edited', 20),
          snippet('lib.py', 'd = 4', 'import', 0),
          snippet('app/main.py', 'e = 5', 'edited', 99),
          snippet('web.ts', 'const f = 6;', 'edited', 99, 'typescript'),
        ],
        { path: 'app/main.py', languageId: 'python' },
      );
      assert.deepEqual(ranked.map((s) => s.path), ['lib.py', 'new.py', 'old.py', 'viewed.py']);
    });

    it('a snippet from a CRLF file reaches the prompt with LF line ends, like the current file', () => {
      const [s] = rankSnippets([snippet('win.py', 'def f():\r\n    return 1\r\n', 'edited', 5)], { path: 'main.py', languageId: 'python' });
      assert.equal(s!.text, 'def f():\n    return 1\n');
    });

    it('a file imported and edited appears once, at its import rank; the same text under two names once; blank snippets not at all', () => {
      const ranked = rankSnippets(
        [snippet('lib.py', 'x = 1\n', 'edited', 5), snippet('lib.py', 'x = 1\n', 'import', 0), snippet('copy.py', 'x  =  1', 'viewed', 9), snippet('blank.py', '\n  \n', 'edited', 9)],
        { path: 'main.py', languageId: 'python' },
      );
      assert.deepEqual(ranked.map((s) => [s.path, s.source]), [['lib.py', 'import']]);
    });
  });

  describe('imports', () => {
    it('JavaScript/TypeScript: relative specifiers, with the extensions a resolver tries; packages are not files here', () => {
      const text = "import { a } from './util';\nimport b from '../lib/b.js';\nconst c = require('./c');\nimport React from 'react';\n";
      const got = importCandidates(text, 'typescript', 'src/app/main.ts');
      assert.equal(got.length, 3);
      assert.ok(got[0]!.includes('src/app/util.ts') && got[0]!.includes('src/app/util/index.ts'));
      assert.ok(got[1]!.includes('src/lib/b.ts') && got[1]!.includes('src/lib/b.js'));
      assert.ok(got[2]!.includes('src/app/c.js'));
    });

    it('Python: relative modules from the package, absolute ones beside the file and at the root; nothing outside the workspace', () => {
      const text = 'import os\nfrom .models import Cart\nfrom ..core.db import connect\nfrom . import views\n';
      const got = importCandidates(text, 'python', 'shop/api/main.py');
      assert.deepEqual(got[0], ['shop/api/os.py', 'shop/api/os/__init__.py', 'os.py', 'os/__init__.py']);
      assert.deepEqual(got[1], ['shop/api/models.py', 'shop/api/models/__init__.py']);
      assert.deepEqual(got[2], ['shop/core/db.py', 'shop/core/db/__init__.py']);
      assert.deepEqual(got[3], ['shop/api/__init__.py']);
      assert.deepEqual(importCandidates('from ...x import y\n', 'python', 'a/main.py'), []);
      assert.deepEqual(importCandidates("import x from '../../up';\n", 'typescript', 'main.ts'), []);
      assert.deepEqual(importCandidates('use std::io;\n', 'rust', 'main.rs'), []);
    });
  });

  describe('cuts', () => {
    it('keeps each snippet\'s leading whole lines within the tokens given, most relevant first', () => {
      const long = longFile(200);
      for (const style of ['qwen-repo', 'comment'] as const) {
        for (const cap of [0, 5, 20, 60, 300]) {
          const { kept, tokens } = fitSnippets(other([snippet('util.py', util), snippet('long.py', long)], style), cap);
          assert.ok(tokens <= cap, `${style}, cap ${cap}: ${tokens} tokens`);
          for (const k of kept) {
            const source = k.path === 'util.py' ? util : long;
            assert.ok(source.startsWith(`${k.text}\n`), `${style}, cap ${cap}: ${k.path} is cut on a line boundary: ${JSON.stringify(k.text.slice(-30))}`);
          }
          if (kept.length === 2) assert.equal(kept[0]!.path, 'util.py');
        }
      }
    });
  });

  describe('in the prompt', () => {
    it('Qwen2.5-Coder: the repository format, other files first, the current file last around the FIM tokens', () => {
      const text = 'from .util import scale\n\nprices = [1, 2]\ndoubled = ';
      const c = buildContext({ text, offset: text.length, budgetTokens: 1024, maxTokens: 16, template: { kind: 'qwen-fim' }, otherFiles: other([snippet('app/util.py', util, 'import')], 'qwen-repo') });
      assert.equal(c.prompt, `<|repo_name|>shop\n<|file_sep|>app/util.py\n${util}<|file_sep|>app/main.py\n<|fim_prefix|>${text}<|fim_suffix|><|fim_middle|>`);
      assert.deepEqual(c.otherFiles, ['app/util.py']);
      assert.equal(c.prefix, text, 'the current file\'s prefix is still the text before the cursor alone');
      assert.equal(c.promptTokens, countTokens(c.prompt));
    });

    it('other models: comments naming the file at the top of the text before the cursor', () => {
      const text = 'x = scale([1], 2)\ny = ';
      const c = buildContext({ text, offset: text.length, budgetTokens: 1024, maxTokens: 16, template: { kind: 'starcoder2-fim' }, otherFiles: other([snippet('app/util.py', 'def scale(v, f):\n\n    return v\n')], 'comment') });
      assert.equal(c.prompt, `<fim_prefix># Path: app/util.py\n# def scale(v, f):\n#\n#     return v\n\n${text}<fim_suffix><fim_middle>`);
      const ts = buildContext({ text: 'let y = ', offset: 8, budgetTokens: 1024, maxTokens: 16, template: { kind: 'prefix-only' }, otherFiles: { ...other([snippet('u.ts', 'export const a = 1;', 'edited', 1, 'typescript')], 'comment'), languageId: 'typescript' } });
      assert.equal(ts.prompt, '// Path: u.ts\n// export const a = 1;\n\nlet y = ');
    });

    it('no snippet, or no room for one: the prompt is exactly the current file\'s', () => {
      const text = longFile(30);
      const base = { text, offset: text.length, budgetTokens: 1024, maxTokens: 16, template: { kind: 'qwen-fim' as const } };
      const plain = buildContext(base);
      assert.deepEqual(buildContext({ ...base, otherFiles: other([], 'qwen-repo') }), plain);
      // A share of 1: the long file keeps every token, the snippet gets none.
      const long = longFile(2000);
      const full = { ...base, text: long, offset: long.length };
      assert.deepEqual(buildContext({ ...full, otherFiles: other([snippet('util.py', util)], 'qwen-repo', 1) }), buildContext(full));
    });

    it('a long current file keeps its minimum share of the budget; the snippets take the rest, within the limit', () => {
      const text = longFile(3000);
      // In the order the pipeline hands them over: ranked.
      const snippets = rankSnippets([snippet('a.py', longFile(400)), snippet('util.py', util, 'import')], { path: 'app/main.py', languageId: 'python' });
      for (const share of [0.3, 0.5, 0.8]) {
        const c = buildContext({ text, offset: text.length, budgetTokens: 1536, maxTokens: 64, template: { kind: 'qwen-fim' }, otherFiles: other(snippets, 'qwen-repo', share) });
        const prefixTokens = countTokens(c.prefix);
        assert.ok(c.promptTokens <= c.limitTokens, `share ${share}: ${c.promptTokens} <= ${c.limitTokens}`);
        assert.ok(prefixTokens >= Math.ceil(share * c.limitTokens), `share ${share}: prefix ${prefixTokens} tokens`);
        assert.deepEqual(c.otherFiles, ['util.py', 'a.py'], 'the import first, then the edited file');
        // The room left is used: the prompt is nearly full.
        assert.ok(c.promptTokens > c.limitTokens - 40, `share ${share}: ${c.promptTokens} of ${c.limitTokens} used`);
        assert.ok(c.prefix.startsWith('item_') && text.endsWith(c.prefix), 'the prefix is cut at a line start');
      }
    });

    it('the style follows the model: Qwen FIM and Qwen Coder prefix-only get the repository format, the rest comments', () => {
      assert.equal(otherFilesStyle({ template: 'qwen-fim', family: 'qwen', model: 'Qwen/Qwen2.5-Coder-1.5B' }), 'qwen-repo');
      assert.equal(otherFilesStyle({ template: 'prefix-only', family: 'qwen', model: 'qwen2.5-coder-7b' }), 'qwen-repo');
      assert.equal(otherFilesStyle({ template: 'prefix-only', family: 'deepseek-r1-distill', model: 'r1' }), 'comment');
      assert.equal(otherFilesStyle({ template: 'starcoder2-fim', family: 'starcoder2', model: 'starcoder2-3b' }), 'comment');
    });
  });

  it('properties over generated texts and snippets: within the limit, the prefix keeps its share, only offered files (bounded work)', async function () {
    this.timeout(120_000);
    assert.equal(await runBounded(compiledTest('support/otherFilesProperties.js'), 'checkOtherFilesProperties', [40], { maxOldMb: 256 }), 'ok');
  });
});
