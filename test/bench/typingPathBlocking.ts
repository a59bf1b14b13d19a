// The longest the typing path blocks the extension host in one synchronous call, on inputs
// that once froze it: a 3 MB minified line through the context builder (4.5 s for 1 MB
// before it counted only what fits) and a 40k-space answer through post-processing
// (2.5 s for a quadratic `/\s+$/`). Prints tables only.
import { performance } from 'node:perf_hooks';
import { buildContext, warmTokenizer } from '../../src/core/context';
import { postProcess } from '../../src/core/post/postProcess';
import { percentileOf } from '../../src/core/stats/describe';

const N = 10;

function time(fn: () => unknown): number[] {
  const xs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return xs;
}

function row(name: string, xs: number[]): string {
  return `| ${name} | ${xs.length} | ${percentileOf(xs, 50)!.toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
}

function main(): void {
  warmTokenizer();
  const unit = 'function a(b,c){return b.map(function(d){return d*c+1})}var e=[1,2,3];';
  const line = unit.repeat(Math.ceil(3_000_000 / unit.length)).slice(0, 3_000_000);
  const text = `"use strict";\n${line}\n`;
  const mid = 14 + 1_500_000;
  const spaces = ' '.repeat(40_000);
  console.log('Longest synchronous block per call, ms (one process, warm tokenizer):\n');
  console.log('| input | n | p50 | max |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const template of [{ kind: 'prefix-only' as const }, { kind: 'qwen-fim' as const }]) {
    console.log(row(`buildContext, 3 MB minified line, cursor mid-line, ${template.kind}, budget 1536`, time(() => buildContext({ text, offset: mid, budgetTokens: 1536, maxTokens: 64, template }))));
  }
  console.log(row('buildContext, 3 MB minified line, cursor at its end, qwen-fim, budget 8192', time(() => buildContext({ text, offset: text.length - 1, budgetTokens: 8192, maxTokens: 64, template: { kind: 'qwen-fim' } }))));
  const opts = { prefixLine: '    ', suffixText: '\nreturn x\n', languageId: 'python' };
  console.log(row('postProcess, 40k spaces of answer (multi-line)', time(() => postProcess(`x = 1${spaces}\n${spaces}`, opts))));
  console.log(row('postProcess, 40k spaces then </think> (think removal)', time(() => postProcess(`<think>${spaces}</think>${spaces}\n${spaces}y`, opts))));
  console.log(row('postProcess, 40k spaces, mid-line', time(() => postProcess(`a${spaces}`, { ...opts, suffixText: ')  \n' }))));
}

main();
