// buildContext over many inputs in one call, for runBounded(): one child process (and one
// tokenizer load) per batch instead of per input.
import { buildContext, type BuiltContext, type ContextInput } from '../../src/core/context';

export function buildMany(inputs: ContextInput[]): BuiltContext[] {
  return inputs.map((i) => buildContext(i));
}

/** The corpus properties of buildContext, checked in the child; returns how many cursors were checked. */
export function checkCorpus(budgets: number[]): number {
  // Required here so the corpus is read in the child only.
  const { corpus, cursors } = require('./corpus') as typeof import('./corpus');
  let checked = 0;
  for (const f of corpus()) {
    for (const offset of cursors(f.text)) {
      for (const budgetTokens of budgets) {
        for (const template of [{ kind: 'prefix-only' as const }, { kind: 'qwen-fim' as const }]) {
          const c = buildContext({ text: f.text, offset, budgetTokens, maxTokens: 32, template });
          const where = `${f.name} at ${offset}, ${template.kind}, budget ${budgetTokens}`;
          if (c.promptTokens > c.limitTokens) throw new Error(`${where}: ${c.promptTokens} tokens over ${c.limitTokens}`);
          if (f.text.slice(offset - c.prefix.length, offset) !== c.prefix) throw new Error(`${where}: prefix is not the text before the cursor`);
          if (template.kind === 'qwen-fim' && f.text.slice(offset, offset + c.suffix.length) !== c.suffix) throw new Error(`${where}: suffix is not the text after the cursor`);
          const lineStart = offset === 0 ? 0 : f.text.lastIndexOf('\n', offset - 1) + 1;
          if (offset - lineStart < 200 && !c.prefix.endsWith(f.text.slice(lineStart, offset))) throw new Error(`${where}: the cursor line was cut`);
          checked++;
        }
      }
    }
  }
  return checked;
}
