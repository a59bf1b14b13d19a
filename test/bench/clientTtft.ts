// Bench: does our client add latency over the wire? TTFT of streamCompletion() against a
// minimal raw-socket client on the same embedded engine, requests alternating; and how
// many tokens the engine still generates after an abort. Prints tables, asserts nothing.
// Run: npx tsc -p tsconfig.test.json && node out/test/bench/clientTtft.js [N]
import * as net from 'node:net';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { destroyAgents } from '../../src/core/client/agent';
import { streamCompletion } from '../../src/core/client/stream';
import { scrapeMetric, startEngine } from '../support/engine';

const N = Number(process.argv[2] ?? 30);
const PROMPT = 'import numpy as np\n\ndef moving_average(values, window):\n    """Return the moving average of values over window."""\n    ';
const MAX_TOKENS = 8;
const METRIC = 'vllm:generation_tokens_total';
const GAP_MS = 100;

interface Engine {
  url: string;
  model: string;
}

/** Minimal client: one fresh socket, a hand-made request, t0 right before the write. */
function rawTtft(engine: Engine, maxTokens: number, abortAtFirst = false): Promise<number> {
  const { hostname, port } = new URL(engine.url);
  const body = JSON.stringify({ model: engine.model, prompt: PROMPT, max_tokens: maxTokens, temperature: 0.2, stream: true, stream_options: { include_usage: true } });
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    let t0 = 0;
    let ttft: number | undefined;
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      t0 = performance.now();
      socket.write(`POST /v1/completions HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    socket.on('data', (chunk: string) => {
      const arrival = performance.now();
      if (ttft !== undefined) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('data: {')) continue;
        try {
          const parsed = JSON.parse(line.slice(6)) as { choices?: unknown[] };
          if (parsed.choices && parsed.choices.length > 0) {
            ttft = arrival - t0;
            if (abortAtFirst) {
              socket.destroy();
              resolve(ttft);
            }
            return;
          }
        } catch {
          // A data line split by chunked framing: not needed for the first mark here.
        }
      }
    });
    socket.on('end', () => (ttft === undefined ? reject(new Error('raw client: no content chunk')) : resolve(ttft)));
    socket.on('error', reject);
    // A bench must end: a request that stalls is an error, not a hang.
    socket.setTimeout(20000, () => {
      socket.destroy();
      reject(new Error(`raw client: no answer for 20 s (ttft ${ttft === undefined ? 'not seen' : 'seen'})`));
    });
  });
}

async function oursTtft(engine: Engine): Promise<number> {
  const r = await streamCompletion({ endpoint: engine.url, model: engine.model, prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0.2, totalTimeoutMs: 20000 });
  if (r.timings.ttftMs === undefined) throw new Error('our client: no TTFT');
  return r.timings.ttftMs;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Tokens the engine generated during the second after an abort at the first token. */
async function tokensAfterAbort(engine: Engine, abortWith: 'ours' | 'raw'): Promise<{ atAbort: number; oneSecondLater: number }> {
  if (abortWith === 'raw') {
    await rawTtft(engine, 4000, true);
  } else {
    const controller = new AbortController();
    await streamCompletion({ endpoint: engine.url, model: engine.model, prompt: PROMPT, maxTokens: 4000, signal: controller.signal, onText: () => controller.abort() }).catch(() => undefined);
  }
  const atAbort = await scrapeMetric(engine.url, METRIC);
  await sleep(1000);
  const oneSecondLater = await scrapeMetric(engine.url, METRIC);
  return { atAbort, oneSecondLater };
}

async function main(): Promise<void> {
  const engine = await startEngine();
  try {
    for (let i = 0; i < 2; i++) {
      await oursTtft(engine);
      await rawTtft(engine, MAX_TOKENS);
    }
    const ours: number[] = [];
    const raw: number[] = [];
    // An idle gap before each request, so the engine's wrap-up of the previous request
    // (which our client does not wait for: it resolves at [DONE]) never lands in a TTFT;
    // the order flips every round so neither client always goes first.
    for (let i = 0; i < N; i++) {
      const pair = i % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
      for (const who of pair) {
        await sleep(GAP_MS);
        if (who === 'ours') ours.push(await oursTtft(engine));
        else raw.push(await rawTtft(engine, MAX_TOKENS));
      }
    }
    const row = (p: number): string => {
      const o = percentile(ours, p);
      const r = percentile(raw, p);
      return `| p${p} | ${o.toFixed(2)} | ${r.toFixed(2)} | ${(o / r).toFixed(3)} |`;
    };
    console.log(`\n### Client TTFT vs a raw-socket client (embedded engine, ${N} alternating requests each, max_tokens ${MAX_TOKENS})\n`);
    console.log('| percentile | ours (ms) | raw socket (ms) | ours / raw |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(row(50));
    console.log(row(90));
    console.log(`| min | ${Math.min(...ours).toFixed(2)} | ${Math.min(...raw).toFixed(2)} | ${(Math.min(...ours) / Math.min(...raw)).toFixed(3)} |`);
    console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores (other work on the machine shows up as noise)`);

    console.log('\n### Tokens generated after an abort at the first token (max_tokens 4000)\n');
    console.log('| client | tokens in the 1 s after abort |');
    console.log('| --- | ---: |');
    for (const who of ['ours', 'raw'] as const) {
      const { atAbort, oneSecondLater } = await tokensAfterAbort(engine, who);
      console.log(`| ${who} | ${oneSecondLater - atAbort} |`);
    }
  } finally {
    destroyAgents();
    await engine.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
