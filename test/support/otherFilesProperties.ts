// Properties of the prompt with other files' snippets, over generated texts and snippets;
// run by runBounded() in a child process with a small heap, like contextProperties.
import fc from 'fast-check';
import { buildContext, countTokens, type ContextSnippet, type OtherFilesStyle, type TemplateSpec } from '../../src/core/context';
import { textAndOffsetArb, textArb } from './textArbitraries';

const templates: TemplateSpec[] = [{ kind: 'prefix-only' }, { kind: 'qwen-fim' }, { kind: 'starcoder2-fim' }];

const snippetArb: fc.Arbitrary<ContextSnippet> = fc.record({
  path: fc.constantFrom('a.py', 'lib/b.py', 'c.py', 'd/e.py'),
  languageId: fc.constant('python'),
  text: textArb,
  source: fc.constantFrom('import' as const, 'edited' as const, 'viewed' as const),
  at: fc.nat(),
});

/** Throws (fast-check's counterexample report) when a property fails. */
export function checkOtherFilesProperties(numRuns: number, seed?: number): string {
  fc.assert(
    fc.property(
      textAndOffsetArb,
      fc.uniqueArray(snippetArb, { selector: (s) => s.path, maxLength: 4 }),
      fc.constantFrom(...templates),
      fc.constantFrom<OtherFilesStyle>('qwen-repo', 'comment'),
      fc.integer({ min: 64, max: 2048 }),
      fc.double({ min: 0.1, max: 1, noNaN: true }),
      ({ text, offset }, snippets, template, style, budgetTokens, minPrefixShare) => {
        const base = { text, offset, budgetTokens, maxTokens: 16, template };
        const plain = buildContext(base);
        const c = buildContext({ ...base, otherFiles: { snippets, currentPath: 'main.py', repoName: 'repo', languageId: 'python', style, minPrefixShare } });
        if (c.promptTokens > c.limitTokens) throw new Error(`${c.promptTokens} tokens over the limit ${c.limitTokens}`);
        if (countTokens(c.prompt) !== c.promptTokens) throw new Error('promptTokens is not the prompt\'s count');
        // The current file's text before the cursor keeps its share, or all it had alone.
        const want = Math.min(countTokens(plain.prefix), Math.ceil(c.limitTokens * minPrefixShare));
        if (countTokens(c.prefix) < want) throw new Error(`prefix ${countTokens(c.prefix)} tokens, below its minimum ${want}`);
        if (text.slice(offset - c.prefix.length, offset) !== c.prefix) throw new Error('prefix is not the text right before the cursor');
        if (!c.otherFiles && c.prompt !== plain.prompt) throw new Error('no snippets kept, yet the prompt is not the plain one');
        for (const p of c.otherFiles ?? []) {
          if (!snippets.some((s) => s.path === p)) throw new Error(`a snippet of ${p}, which was not offered`);
          if (!c.prompt.includes(p)) throw new Error(`the prompt does not name ${p}`);
        }
      },
    ),
    { numRuns, ...(seed !== undefined ? { seed } : {}) },
  );
  return 'ok';
}
