import * as assert from 'node:assert/strict';
import { cutAtBlockEnd, postProcess, removeThink } from '../../src/core/post';

const py = (raw: string, prefixLine: string, suffixText = '', extra: Partial<Parameters<typeof postProcess>[1]> = {}) =>
  postProcess(raw, { prefixLine, suffixText, languageId: 'python', ...extra });

describe('post: <think> removal', () => {
  it('removes closed blocks and the newlines after them', () => {
    assert.equal(removeThink('<think>\nlet me see\n</think>\n\nreturn a + b'), 'return a + b');
    assert.equal(removeThink('x = 1<think>hmm</think> + 2'), 'x = 1 + 2');
    assert.equal(removeThink('a<think>1</think>b<think>2</think>c'), 'abc');
  });

  it('drops an unclosed <think> to the end', () => {
    assert.equal(removeThink('return x<think>\nwait, maybe'), 'return x');
    assert.equal(removeThink('<think>only thoughts'), '');
  });

  it('drops everything before a lone leading </think> (the stream began mid-think)', () => {
    assert.equal(removeThink('so the answer is\n</think>\n\nreturn a + b'), 'return a + b');
    assert.equal(removeThink('thinking</think>x<think>more</think>y'), 'xy');
  });

  it('drops a tag cut off at the end, and leaves text without tags alone', () => {
    assert.equal(removeThink('return 1\n<thi'), 'return 1\n');
    assert.equal(removeThink('if a < b:'), 'if a < b:');
    assert.equal(removeThink('x <t'), 'x <t');
  });

  it('postProcess never shows think text, whatever the family', () => {
    assert.equal(py('<think>\nreasoning\n</think>\n\nreturn a + b', '    '), 'return a + b');
    assert.equal(py('<think>never closed', '    '), undefined);
  });
});

describe('post: single line in the middle of a line', () => {
  it('completes only the current line when code follows the cursor', () => {
    assert.equal(py('a, b\n    return c\n', 'result = add(', ')\nprint(result)'), 'a, b');
  });

  it('drops the end that repeats what follows the cursor on its line', () => {
    assert.equal(py('a, b)', 'result = add(', ')\nprint(result)'), 'a, b');
    assert.equal(py('x, y):', 'def f(', '):\n    pass'), 'x, y');
    // A word is not cut in half because the suffix starts with the same letter.
    assert.equal(py('count', 'x = ', ' t\n'), 'count');
  });

  it('multiline off: one line, or the next line when the model starts with the newline', () => {
    assert.equal(py('\n    return a + b\n\nprint(1)', 'def add(a, b):', '\n', { multiline: false }), '\n    return a + b');
    assert.equal(py('1 + 2\nx = 3', 'y = ', '', { multiline: false }), '1 + 2');
  });
});

describe('post: multi-line block end', () => {
  it('python: stops at the dedent after the body', () => {
    const raw = '\n    total = a + b\n    return total\n\ndef other():\n    pass\n';
    assert.equal(py(raw, 'def add(a, b):', '\n'), '\n    total = a + b\n    return total');
  });

  it('python: stops at a line dedented below the cursor line', () => {
    const raw = 'x = 1\n        y = 2\n    return y\nclass Next:\n';
    assert.equal(py(raw, '        ', '\n    return z\n'), 'x = 1\n        y = 2');
  });

  it('python: keeps a closing bracket at the cursor line\'s level', () => {
    const raw = '\n    1,\n    2,\n)\nprint(x)';
    assert.equal(py(raw, 'x = foo(', ''), '\n    1,\n    2,\n)');
  });

  it('stops at two consecutive blank lines', () => {
    assert.equal(py('a = 1\nb = 2\n\n\nc = 3', '', ''), 'a = 1\nb = 2');
  });

  it('typescript: keeps the brace that closes the block the cursor line opened, then stops', () => {
    const raw = '\n  return a + b;\n}\n\nfunction sub(a: number, b: number) {\n  return a - b;\n}\n';
    assert.equal(postProcess(raw, { prefixLine: 'function add(a: number, b: number) {', suffixText: '\n', languageId: 'typescript' }), '\n  return a + b;\n}');
  });

  it('javascript: stops before a closing brace at a lower indent (the enclosing block is already there)', () => {
    const raw = 'const y = x * 2;\n  return y;\n}\n';
    assert.equal(postProcess(raw, { prefixLine: '  ', suffixText: '\n}\n', languageId: 'javascript' }), 'const y = x * 2;\n  return y;');
  });

  it('cutAtBlockEnd leaves one-line text alone', () => {
    assert.equal(cutAtBlockEnd('return 1', '    ', 'python'), 'return 1');
  });
});

describe('post: suffix overlap, stop strings, empty results', () => {
  it('drops last lines equal to the lines after the cursor', () => {
    const raw = '\n  return a + b;\n}';
    assert.equal(postProcess(raw, { prefixLine: 'function add(a, b) {', suffixText: '\n}\n', languageId: 'javascript' }), '\n  return a + b;');
    const raw2 = 'y = x + 1\n    return y\n';
    assert.equal(py(raw2, '    ', '\n    return y\n'), 'y = x + 1');
  });

  it('cuts at the first stop string', () => {
    assert.equal(py('return 1<|endoftext|>garbage', '    ', '', { stop: ['<|endoftext|>'] }), 'return 1');
    assert.equal(py('a = 1\n# END\nb = 2', '', '', { stop: ['# END'] }), 'a = 1');
  });

  it('trims trailing whitespace and gives undefined for nothing', () => {
    assert.equal(py('return 1   \n\n', '    ', ''), 'return 1');
    assert.equal(py('   \n\t\n', '    ', ''), undefined);
    assert.equal(py('', '    ', ''), undefined);
    assert.equal(py(')', 'f(x', ')'), undefined);
  });
});
