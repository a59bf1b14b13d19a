// Bench: RecordStore append throughput (batched writer) for 20k records, and read-back time,
// appended all at once and as a steady stream (100 per turn of the event loop). Says how many
// records came back and how many were dropped: with the queue bounded by the store's cap,
// a burst under it must come back whole. Prints a markdown table. Run: npx tsc -p tsconfig.test.json && node out/test/bench/storeAppend.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordStore } from '../../src/core/store/recordStore';
import type { CompletionRecord } from '../../src/core/store/record';

function record(i: number): CompletionRecord {
  return {
    v: 1, kind: 'completion', id: `bench-${i}`, ts: Date.now(), profile: i % 2 ? 'qwen' : 'r1-distill', model: 'm',
    endpoint: 'http://127.0.0.1:8000', template: 'qwen-fim', languageId: 'typescript', pathHash: '0123456789abcdef',
    prefix: 'export function add(a: number, b: number): number {\n  return '.repeat(8), suffix: '\n}\n',
    promptTokens: 180, timings: { ttftMs: 40 + (i % 50), e2eMs: 300, tpotMs: 8, decodeTokensPerSec: 120, outputTokens: 32 },
    timeToShownMs: 320, shownText: 'a + b;', outcome: 'shown',
  };
}

async function main(): Promise<void> {
  const N = Number(process.env['BENCH_RECORDS'] ?? 20_000);
  const rows: string[] = [];
  for (const mode of ['all at once', '100 per turn'] as const) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-store-'));
    const store = new RecordStore({ dir, maxBytes: 512 * 1024 * 1024 });
    const t0 = performance.now();
    let callerMs = 0;
    for (let i = 0; i < N; i++) {
      const c = performance.now();
      store.append(record(i));
      callerMs += performance.now() - c;
      if (mode === '100 per turn' && i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await store.flush();
    const writeMs = performance.now() - t0;
    const r0 = performance.now();
    const { records, files } = await store.readAll();
    const readMs = performance.now() - r0;
    const bytes = await store.sizeOnDisk();
    rows.push(`| ${mode} | ${records.length} / ${N} | ${store.dropped} | ${Math.round(N / (writeMs / 1000)).toLocaleString('en')} | ${((callerMs / N) * 1000).toFixed(1)} | ${writeMs.toFixed(0)} | ${readMs.toFixed(0)} | ${files.length} | ${(bytes / 1024 / 1024).toFixed(1)} |`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n### RecordStore append / read-back (node ${process.version})\n`);
  console.log('| appends | read back / appended | dropped | appends/s (until flushed) | caller µs/append | write ms | read-back ms | files | MiB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
}

void main();
