// Property tests (fast-check) over generated inputs: the shapes real files have and small
// hand-made strings miss. Run counts are modest so the unit tier stays quick on 2 cores;
// a failure prints the seed and the shrunk counterexample.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { CompletionCache } from '../../src/core/cache/completionCache';
import { sampleWorkspaceCases } from '../../src/core/compare/cases';
import { postProcess } from '../../src/core/post/postProcess';
import type { CompletionRecord } from '../../src/core/store/record';
import { RecordStore } from '../../src/core/store/recordStore';
import { compiledTest, runBounded } from '../support/bounded';
import { textAndOffsetArb, textArb } from '../support/textArbitraries';

describe('properties: the typing path over generated texts', function () {
  this.timeout(120_000);

  it('buildContext returns (bounded work), within the budget, with the cursor line and the exact text around the cursor, for every template', async () => {
    assert.equal(await runBounded(compiledTest('support/contextProperties.js'), 'checkContextProperties', [60], { maxOldMb: 256 }), 'ok');
  });

  it('a typed-through prefix always hits the cache, and a diverging keystroke never does', () => {
    fc.assert(
      fc.property(textAndOffsetArb, fc.string({ unit: 'grapheme', minLength: 2, maxLength: 40 }), fc.nat(), ({ text, offset }, suggestion, k0) => {
        const cache = new CompletionCache();
        cache.add('doc', text, offset, suggestion, 'r');
        const k = k0 % suggestion.length;
        const typed = suggestion.slice(0, k);
        const now = text.slice(0, offset) + typed + text.slice(offset);
        const hit = cache.lookup('doc', now, offset + k);
        assert.equal(hit?.remaining, suggestion.slice(k));
        // One character that is not the suggestion's next one: no hit.
        const wrong = suggestion[k] === '\u0001' ? '\u0002' : '\u0001';
        const diverged = text.slice(0, offset) + typed + wrong + text.slice(offset);
        assert.equal(cache.lookup('doc', diverged, offset + k + 1), undefined);
      }),
      { numRuns: 200 },
    );
  });

  it('post-processing never shows <think> or </think>', () => {
    const raw = fc.array(fc.constantFrom('<think>', '</think>', '<th', 'ink>', '</th', '<', '>', 'x = 1', '\n', '\r\n', '  ', 'def f():'), { maxLength: 20 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(raw, textAndOffsetArb, fc.boolean(), (r, { text, offset }, multiline) => {
        const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        const out = postProcess(r, { prefixLine: text.slice(offset === 0 ? 0 : lineStart, offset), suffixText: text.slice(offset), languageId: 'python', multiline });
        if (out !== undefined) assert.ok(!out.includes('<think>') && !out.includes('</think>'), JSON.stringify(out));
      }),
      { numRuns: 300 },
    );
  });

  it('tearing a store file at any byte loses at most the torn line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-tear-'));
    try {
      const store = new RecordStore({ dir });
      const n = 6;
      for (let i = 0; i < n; i++) store.append(record(i, `line ${i}: "quoted" ü 😀 \\ \n`.repeat(i + 1)));
      store.update('r2', { outcome: 'accepted', acceptedChars: 3 });
      await store.flush();
      const [file] = fs.readdirSync(dir);
      const bytes = fs.readFileSync(path.join(dir, file!));
      const lineEnds: number[] = [];
      bytes.forEach((b, i) => b === 0x0a && lineEnds.push(i + 1));
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length }), async (cut) => {
          fs.writeFileSync(path.join(dir, file!), bytes.subarray(0, cut));
          const { records, skippedLines } = await new RecordStore({ dir, enabled: false }).readAll();
          const whole = lineEnds.filter((e) => e <= cut).length;
          const completions = Math.min(whole, n);
          assert.ok(records.length >= completions, `cut at ${cut}: ${records.length} records, ${completions} whole record lines`);
          assert.ok(skippedLines <= 1, `cut at ${cut}: ${skippedLines} lines skipped`);
          if (whole > n) assert.equal(records.find((x) => x.id === 'r2')?.outcome, 'accepted');
        }),
        { numRuns: 120 },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the workspace case sampler returns, with cases that are the file cut at the cursor', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 30 }), async (files, count) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-sample-'));
        try {
          files.forEach((t, i) => fs.writeFileSync(path.join(dir, `f${i}.py`), t));
          const cases = await sampleWorkspaceCases(dir, { count, seed: 7 });
          assert.ok(cases.length <= count);
          for (const c of cases) {
            const text = fs.readFileSync(path.join(dir, c.file!), 'utf8');
            assert.equal(c.prefix + c.groundTruth + c.suffix, text);
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});

function record(i: number, prefix: string): CompletionRecord {
  return {
    v: 1, kind: 'completion', id: `r${i}`, ts: 1_700_000_000_000 + i, profile: 'p', model: 'm', endpoint: 'http://127.0.0.1:8000',
    template: 'prefix-only', languageId: 'python', pathHash: 'abcd', prefix, suffix: '', outcome: 'shown',
  };
}
