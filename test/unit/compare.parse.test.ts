// "Parses after insertion" with the real tree-sitter grammars (WebAssembly, from npm): a
// known-good and a known-broken completion per language, and the heuristic's fallback.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { ParseChecker, hasGrammar } from '../../src/core/compare/parseCheck';
import { scoreCompletion } from '../../src/core/compare/quality';

interface Case {
  languageId: string;
  prefix: string;
  suffix: string;
  truth: string;
  good: string;
  broken: string;
}

const CASES: Case[] = [
  { languageId: 'python', prefix: 'def area(w, h):\n', suffix: '\n\nprint(area(2, 3))\n', truth: '    return w * h', good: '    result = w * h\n    return result', broken: '    return (w * h' },
  { languageId: 'javascript', prefix: 'function area(w, h) {\n', suffix: '\n}\nconsole.log(area(2, 3));\n', truth: '  return w * h;', good: '  const r = w * h;\n  return r;', broken: '  return w * h);' },
  { languageId: 'typescript', prefix: 'function area(w: number, h: number): number {\n', suffix: '\n}\n', truth: '  return w * h;', good: '  const r: number = w * h;\n  return r;', broken: '  const r: = w * h;' },
  { languageId: 'go', prefix: 'package main\n\nfunc area(w, h int) int {\n', suffix: '\n}\n', truth: '\treturn w * h', good: '\tr := w * h\n\treturn r', broken: '\treturn w * h }' },
  { languageId: 'rust', prefix: 'fn area(w: u32, h: u32) -> u32 {\n', suffix: '\n}\n', truth: '    w * h', good: '    let r = w * h;\n    r', broken: '    let r = w * h\n    r)' },
  { languageId: 'java', prefix: 'class Geo {\n  static int area(int w, int h) {\n', suffix: '\n  }\n}\n', truth: '    return w * h;', good: '    int r = w * h;\n    return r;', broken: '    int r = w * h\n    return r;' },
  { languageId: 'c', prefix: '#include <stdio.h>\n\nint area(int w, int h) {\n', suffix: '\n}\n', truth: '  return w * h;', good: '  int r = w * h;\n  return r;', broken: '  int r = w * h\n  return r;' },
  { languageId: 'cpp', prefix: '#include <vector>\n\nint area(int w, int h) {\n', suffix: '\n}\n', truth: '  return w * h;', good: '  std::vector<int> v{w, h};\n  return v[0] * v[1];', broken: '  std::vector<int> v{w, h;\n  return v[0] * v[1];' },
];

describe('compare: parses after insertion (tree-sitter grammars)', function () {
  this.timeout(60_000);
  const checker = new ParseChecker();
  before(() => checker.prepare(CASES.map((c) => c.languageId)));

  it('loads a grammar for Python, JavaScript, TypeScript, Go, Rust, Java, C and C++', () => {
    assert.deepEqual([...checker.problems], []);
    for (const c of CASES) assert.ok(checker.ready(c.languageId), c.languageId);
  });

  for (const c of CASES) {
    it(`${c.languageId}: a known-good completion parses, a known-broken one does not`, () => {
      const base = { prefix: c.prefix, suffix: c.suffix, groundTruth: c.truth, languageId: c.languageId };
      const good = scoreCompletion({ ...base, completion: c.good }, checker);
      assert.deepEqual([good.parsesAfter, good.parses], [true, true], c.good);
      const broken = scoreCompletion({ ...base, completion: c.broken }, checker);
      assert.deepEqual([broken.parsesAfter, broken.parses], [false, false], c.broken);
      assert.equal(good.bracketsBalanced, undefined, 'a real grammar replaces the bracket heuristic');
    });
  }

  it('says whether the document parsed before insertion, and does not judge where the truth document fails too', () => {
    const py = { languageId: 'python', suffix: '\n', groundTruth: '    [1, 2])' };
    // Before insertion: an open call does not parse; with the completion closing it, it does.
    const s = scoreCompletion({ ...py, prefix: 'total = sum(\n', completion: '    [3])' }, checker);
    assert.deepEqual([s.parsedBefore, s.parsesAfter, s.parses], [false, true, true]);
    // A prefix cut mid-string (as the token budget does): nothing parses, nothing is judged.
    const cut = scoreCompletion({ ...py, prefix: 'x = """never closed\ntotal = sum(\n', completion: '    [3])' }, checker);
    assert.equal(cut.parses, undefined);
  });

  it('keeps the bracket heuristic where no grammar exists, and says why a grammar is missing', async () => {
    assert.equal(hasGrammar('plaintext'), false);
    const php = scoreCompletion({ prefix: '<?php\nfunction f() {\n', suffix: '\n}\n', groundTruth: '  return 1;', completion: '  return (1;', languageId: 'php' }, checker);
    assert.equal(php.bracketsBalanced, false);
    assert.equal(php.parses, undefined);
    const nowhere = new ParseChecker({ vscode: os.tmpdir(), wasms: os.tmpdir() });
    await nowhere.prepare(['python']);
    assert.equal(nowhere.ready('python'), false);
    assert.match(nowhere.problems.get('python')!, /tree-sitter-python\.wasm is missing/);
    assert.equal(scoreCompletion({ prefix: 'def f(:\n', suffix: '', groundTruth: '  x', completion: '  x', languageId: 'python' }, nowhere).bracketsBalanced, true);
  });
});
