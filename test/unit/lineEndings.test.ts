// Windows line endings on the way to the model: the prompt of a CRLF file is the prompt of
// the same file with LF, the cursor in the same place (found by the bundled model: with
// CRLF it repeated the previous line's tail instead of writing the class body).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CompletionRequest, CompletionResult } from '../../src/core/client/types';
import { completeAt, resolveFor } from '../../src/core/pipeline';
import { withLf } from '../../src/core/pipeline/lineEndings';

function answering(text: string, sent: CompletionRequest[]) {
  return async (req: CompletionRequest): Promise<CompletionResult> => {
    sent.push(req);
    return { text, finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5 }, marks: { t0: 0, chunks: [], wallT0: Date.now() }, timings: { ttftMs: 5, e2eMs: 20, outputTokens: 5 }, chunkCount: 1 };
  };
}

describe('line endings', function () {
  this.timeout(60_000); // the first prompt loads the tokenizer
  it('withLf: the text before the cursor is the LF text before the moved cursor, for any text and cursor', () => {
    const piece = fc.constantFrom('\r\n', '\n', '\r', 'a', ' ', 'é', '😀');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), fc.nat(), (parts, n) => {
      const text = parts.join('');
      let offset = n % (text.length + 1);
      if (text[offset - 1] === '\r' && text[offset] === '\n') offset--; // never inside a CRLF, as in an editor
      const lf = withLf(text, offset);
      assert.equal(lf.text.slice(0, lf.offset), text.slice(0, offset).replace(/\r\n/g, '\n'));
      assert.equal(lf.text.slice(lf.offset), text.slice(offset).replace(/\r\n/g, '\n'));
    }));
  });

  it('a CRLF file is sent as the same prompt as its LF twin, and the answer is post-processed the same', async () => {
    const lf = 'import math\n\n\nclass Point:\n    def __init__(self, x, y):\n        \n\nprint(Point(1, 2))\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const at = (t: string): number => t.indexOf('y):') + (t === lf ? 12 : 13);
    assert.equal(crlf.slice(0, at(crlf)).replace(/\r\n/g, '\n'), lf.slice(0, at(lf)), 'the same cursor in both');
    const resolved = resolveFor({ name: 'q', endpoint: 'http://h:8000', template: 'auto' }, { id: 'Qwen/Qwen2.5-Coder-1.5B', maxModelLen: 4096 });
    const answer = 'self.x = x\n        self.y = y\n\nprint(Point(1, 2))';
    const sent: CompletionRequest[] = [];
    const a = await completeAt({ text: lf, offset: at(lf), languageId: 'python', resolved, budgetTokens: 1536, client: answering(answer, sent) });
    const b = await completeAt({ text: crlf, offset: at(crlf), languageId: 'python', resolved, budgetTokens: 1536, client: answering(answer, sent) });
    assert.equal(sent[1]!.prompt, sent[0]!.prompt);
    assert.ok(!sent[1]!.prompt.includes('\r'), 'no CR reaches the model');
    assert.equal(b.text, a.text);
    assert.equal(a.text, 'self.x = x\n        self.y = y');
    assert.deepEqual(b.cursorText, a.cursorText);
  });
});
