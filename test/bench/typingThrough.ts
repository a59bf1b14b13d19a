// Typing through ghost text: the cost of answering from the completion cache (what the
// provider does when the typed characters match the suggestion) beside a fresh request
// through the whole pipeline (context, tokenizer, engine, post-processing), measured in one
// run against the same embedded engine. Prints tables only.
import { performance } from 'node:perf_hooks';
import { DEFAULT_KEY_WINDOW } from '../../src/core/cache/cacheKey';
import { CompletionCache } from '../../src/core/cache/completionCache';
import { completeAt, resolveFor } from '../../src/core/pipeline/completeAt';
import { percentileOf } from '../../src/core/stats/describe';
import { startEngine } from '../support/engine';

const N = 30;

function row(name: string, xs: number[]): string {
  const f = (q: number) => percentileOf(xs, q)!.toFixed(3);
  return `| ${name} | ${xs.length} | ${f(50)} | ${f(90)} | ${f(99)} |`;
}

async function main(): Promise<void> {
  const engine = await startEngine();
  try {
    const file = Array.from({ length: 400 }, (_, i) => `def f${i}(x):\n    return x * ${i}\n`).join('\n');
    const text = `${file}\ndef g(x):\n    `;
    const profile = { name: 'bench', endpoint: engine.url, template: 'qwen-fim' as const, maxTokens: 16 };
    const resolved = resolveFor(profile, { id: engine.model, maxModelLen: engine.maxModelLen });

    // Warm the tokenizer and the connection once.
    await completeAt({ text, offset: text.length, languageId: 'python', resolved, budgetTokens: 1536 });

    const fresh: number[] = [];
    const cached: number[] = [];
    const cache = new CompletionCache();
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const out = await completeAt({ text, offset: text.length, languageId: 'python', resolved, budgetTokens: 1536, seed: i });
      fresh.push(performance.now() - t0);
      const suggestion = out.text ?? 'return x + 1';
      // Keyed as the provider keys it: the anchor and the text the model saw around it.
      const keyWindow = { before: out.context.prefix.length, after: Math.max(out.context.suffix.length, DEFAULT_KEY_WINDOW.after) };
      cache.add('bench.py', text, text.length, suggestion, String(i), keyWindow);
      // The user types the first characters of the suggestion, one at a time.
      for (let k = 1; k < Math.min(6, suggestion.length); k++) {
        const typed = text + suggestion.slice(0, k);
        const t1 = performance.now();
        const hit = cache.lookup('bench.py', typed, typed.length);
        cached.push(performance.now() - t1);
        if (!hit) throw new Error('expected a cache hit while typing through');
      }
    }
    console.log('Latency of a completion, ms (same engine, same file, one run):\n');
    console.log('| path | n | p50 | p90 | p99 |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(row('fresh request (context + engine + post)', fresh));
    console.log(row('typed through (cache, no request)', cached));
    const ratio = percentileOf(fresh, 50)! / percentileOf(cached, 50)!;
    console.log(`\nTyping through answers ${ratio.toFixed(0)}x faster at p50, and the server does no work.`);
  } finally {
    await engine.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
