// Bench: how long the extension takes to activate and the longest block of the extension
// host's event loop during activation and typing (the integration suites type, complete
// and compare in a real code-server extension host; the extension measures itself with
// perf_hooks.monitorEventLoopDelay and the last suite prints it). For comparison, what the
// same work costs when done on one thread: loading the bundle, loading the tokenizer and
// building one prompt in-process (what the host did before prompts moved to a worker).
// The same run's load suite prints the heap growth over 10,000 completions through the
// provider and the most requests the engine saw in flight over 1,000 keystrokes.
// Run: npm run bench -- hostTiming
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildContext } from '../../src/core/context/buildContext';
import { warmTokenizer } from '../../src/core/context/tokenizer';
import type { HostTimingSnapshot as HostTiming } from '../../src/extension/hostTiming';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** What the load suite prints (test/integration/suite/load.test.ts). */
interface LoadHeap { completions: number; requests: number; cacheHits: number; records: number; fileKiB: number; heapBeforeMiB: number; heapAfterMiB: number; growthMiB: number; seconds: number }
interface LoadKeystrokes { keystrokes: number; requests: number; samples: number; maxInFlight: number; outcomes: Record<string, number> }

interface IntegrationLines { host?: HostTiming | undefined; heap?: LoadHeap | undefined; keys?: LoadKeystrokes | undefined }

function integrationHostTiming(): Promise<IntegrationLines> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'test', 'integration', 'runInCodeServer.mjs')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => {
      const line = <T>(tag: string): T | undefined => {
        const m = new RegExp(`${tag} (\\{.*\\})`).exec(out);
        return m ? (JSON.parse(m[1]!) as T) : undefined;
      };
      const found = { host: line<HostTiming>('host-timing'), heap: line<LoadHeap>('load-heap'), keys: line<LoadKeystrokes>('load-keystrokes') };
      if (code !== 0) console.log(`(the integration run exited with ${code}; its host-timing line ${found.host ? 'was' : 'was not'} printed)`);
      resolve(found);
    });
  });
}

function inProcessCosts(): { loadMs: number; warmMs: number; buildMs: number } {
  const bundle = path.join(repoRoot, 'dist', 'extension.js');
  const t0 = performance.now();
  // The extension bundle's size decides its parse time; read + compile it as Node would.
  new (require('node:vm').Script)(fs.readFileSync(bundle, 'utf8'), { filename: bundle });
  const t1 = performance.now();
  warmTokenizer();
  const t2 = performance.now();
  const text = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'compare', 'runner.ts'), 'utf8');
  buildContext({ text, offset: Math.floor(text.length / 2), budgetTokens: 1536, maxTokens: 64, template: { kind: 'qwen-fim' } });
  const t3 = performance.now();
  return { loadMs: t1 - t0, warmMs: t2 - t1, buildMs: t3 - t2 };
}

async function main() {
  const sizeKiB = (f: string) => (fs.statSync(path.join(repoRoot, 'dist', f)).size / 1024).toFixed(0);
  const own = inProcessCosts();
  const { host, heap, keys } = await integrationHostTiming();
  console.log('| what | ms |');
  console.log('| --- | ---: |');
  if (host) {
    console.log(`| activation (activate() to its return, in code-server's extension host) | ${host.activationMs.toFixed(1)} |`);
    console.log(`| longest extension-host block, activation + the integration suites typing (${(host.watchedMs / 1000).toFixed(0)} s watched) | ${host.longestBlockMs.toFixed(1)} |`);
    console.log(`| p99 event-loop delay over the same time | ${host.p99DelayMs.toFixed(1)} |`);
    console.log(`| prompts built in the worker thread (count) | ${host.promptsBuiltInWorker} |`);
    // The host runs every extension (VS Code's built-in ones too): when a block began says whose it may be.
    for (const b of host.blocks) console.log(`| a block of the host, ${(b.atMs / 1000).toFixed(1)} s after activation began | ${b.ms} |`);
  } else {
    console.log('| extension host | no host-timing line (see the integration output above) |');
  }
  console.log(`| compile dist/extension.js (${sizeKiB('extension.js')} KiB; the worker's bundle is ${sizeKiB('contextWorker.js')} KiB) | ${own.loadMs.toFixed(1)} |`);
  console.log(`| load the tokenizer in-process (the block the host paid before the worker) | ${own.warmMs.toFixed(1)} |`);
  console.log(`| first prompt build in-process (runner.ts, 1536-token budget) | ${own.buildMs.toFixed(1)} |`);

  console.log('\nLoad in the same extension host (test/integration/suite/load.test.ts):\n');
  console.log('| what | value |');
  console.log('| --- | ---: |');
  if (heap) {
    console.log(`| heap growth over ${heap.completions.toLocaleString('en')} completions through the provider (${heap.fileKiB} KiB file; ${heap.requests} engine requests, ${heap.cacheHits} from the typing-through cache), MiB after forced GC | ${heap.growthMiB.toFixed(1)} |`);
    console.log(`| heap before / after, MiB | ${heap.heapBeforeMiB.toFixed(1)} / ${heap.heapAfterMiB.toFixed(1)} |`);
    console.log(`| wall time of those completions, s | ${heap.seconds.toFixed(1)} |`);
  } else {
    console.log('| heap growth over 10,000 completions | no load-heap line (see the integration output above) |');
  }
  if (keys) {
    const ended = Object.entries(keys.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(`| most requests in flight on the engine over ${keys.keystrokes.toLocaleString('en')} keystrokes (${keys.samples} /metrics samples; ${keys.requests} requests: ${ended}) | ${keys.maxInFlight} |`);
  } else {
    console.log('| requests in flight over 1,000 keystrokes | no load-keystrokes line (see the integration output above) |');
  }
}

void main();
