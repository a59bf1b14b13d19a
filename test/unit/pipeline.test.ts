// completeAt with an injected client: checks what is sent (prompt, sampling, stop ids)
// and that what comes back is post-processed. The real engine is in complete.engine.test.ts.
import * as assert from 'node:assert/strict';
import type { CompletionRequest, CompletionResult } from '../../src/core/client/types';
import { countTokens } from '../../src/core/context';
import { completeAt, languageIdForFile, offsetAt, resolveFor } from '../../src/core/pipeline';

function answering(text: string, sent: CompletionRequest[]) {
  return async (req: CompletionRequest): Promise<CompletionResult> => {
    sent.push(req);
    return {
      text,
      finishReason: 'length',
      usage: { promptTokens: 10, completionTokens: req.maxTokens },
      marks: { t0: 0, chunks: [], wallT0: Date.now() },
      timings: { ttftMs: 5, e2eMs: 20, outputTokens: req.maxTokens },
      chunkCount: 3,
    };
  };
}

const file = 'import math\n\ndef area(r):\n    \n\nprint(area(2))\n';
const offset = file.indexOf('    \n') + 4;

describe('pipeline: completeAt', () => {
  it('Qwen base model: FIM prompt, stop ids, sampling defaults; output post-processed', async () => {
    const sent: CompletionRequest[] = [];
    const out = await completeAt({
      text: file,
      offset,
      languageId: 'python',
      resolved: resolveFor({ name: 'q', endpoint: 'http://h:8000', template: 'auto' }, { id: 'Qwen/Qwen2.5-Coder-1.5B', maxModelLen: 4096 }),
      budgetTokens: 1536,
      client: answering('return math.pi * r * r\n\nprint(area(3))<|endoftext|>', sent),
    });
    const req = sent[0]!;
    assert.equal(req.prompt, `<|fim_prefix|>import math\n\ndef area(r):\n    <|fim_suffix|>\n\nprint(area(2))\n<|fim_middle|>`);
    assert.equal(req.model, 'Qwen/Qwen2.5-Coder-1.5B');
    assert.equal(req.maxTokens, 64);
    assert.equal(req.temperature, 0.2);
    assert.equal(req.topP, 0.95);
    assert.deepEqual(req.stopTokenIds, [151643, 151645, 151659, 151660, 151661, 151662, 151663, 151664]);
    assert.equal(out.context.promptTokens, countTokens(req.prompt));
    assert.equal(out.raw, 'return math.pi * r * r\n\nprint(area(3))<|endoftext|>');
    // Block end: the dedented print() is past the body of area().
    assert.equal(out.text, 'return math.pi * r * r');
    assert.equal(out.effective.template, 'qwen-fim');
    assert.deepEqual(out.warnings, []);
  });

  it('R1 distill behind an alias: prefix-only, temperature 0.6, think removed', async () => {
    const sent: CompletionRequest[] = [];
    const out = await completeAt({
      text: file,
      offset,
      languageId: 'python',
      resolved: resolveFor({ name: 'r', endpoint: 'http://h:8000', template: 'auto', maxTokens: 32 }, { id: 'r1', root: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' }),
      budgetTokens: 1536,
      client: answering('<think>\nThe area of a circle.\n</think>\n\nreturn math.pi * r ** 2', sent),
    });
    assert.equal(sent[0]!.prompt, 'import math\n\ndef area(r):\n    ');
    assert.equal(sent[0]!.temperature, 0.6);
    assert.equal(sent[0]!.maxTokens, 32);
    assert.equal(sent[0]!.stopTokenIds, undefined);
    assert.equal(out.text, 'return math.pi * r ** 2');
    assert.ok(out.raw.includes('<think>'));
  });

  it('overrides (CLI flags) win, and a template that does not fit warns', async () => {
    const sent: CompletionRequest[] = [];
    const out = await completeAt({
      text: file,
      offset,
      languageId: 'python',
      resolved: resolveFor({ name: 'r', endpoint: 'http://h:8000', template: 'auto' }, { id: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' }, { template: 'qwen-fim', maxTokens: 8, temperature: 0 }),
      budgetTokens: 1536,
      client: answering('x', sent),
    });
    assert.ok(sent[0]!.prompt.startsWith('<|fim_prefix|>'));
    assert.equal(sent[0]!.maxTokens, 8);
    assert.equal(sent[0]!.temperature, 0);
    assert.match(out.warnings.join(), /nothing says it was trained for FIM/);
  });

  it('passes the abort signal through and lets the client\'s error reach the caller', async () => {
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    await assert.rejects(
      completeAt({
        text: file,
        offset,
        languageId: 'python',
        resolved: resolveFor({ name: 'q', endpoint: 'http://h:8000', template: 'auto' }, { id: 'Qwen/Qwen2.5-1.5B' }),
        budgetTokens: 256,
        signal: ac.signal,
        client: async (req) => {
          seen = req.signal;
          throw new Error('boom');
        },
      }),
      /boom/,
    );
    assert.equal(seen, ac.signal);
  });

  it('1-based positions and language ids for the CLI', () => {
    assert.equal(offsetAt(file, { line: 1, column: 1 }), 0);
    assert.equal(offsetAt(file, { line: 4, column: 5 }), offset);
    assert.throws(() => offsetAt(file, { line: 99, column: 1 }), /line 99 is out of range: the file has 7 lines/);
    assert.throws(() => offsetAt(file, { line: 1, column: 13 }), /columns 1 to 12 are valid/);
    assert.equal(languageIdForFile('a/b.py'), 'python');
    assert.equal(languageIdForFile('x.tsx'), 'typescriptreact');
    assert.equal(languageIdForFile('README'), 'plaintext');
  });
});
