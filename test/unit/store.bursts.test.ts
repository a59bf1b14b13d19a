// The record store under bursts, against a real directory: every record appended comes back
// while the queue stays under its bound, appended all at once or as a steady stream; past
// the bound the records that did not fit are counted as dropped and reported, and the
// count reaches the status bar's text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordStore } from '../../src/core/store/recordStore';
import type { CompletionRecord } from '../../src/core/store/record';
import { StoreHealth } from '../../src/core/store/storeHealth';
import { renderStatus, type StatusView } from '../../src/extension/statusModel';

/** A completion record of about 0.9 KB, the size the extension records with a short prefix. */
function rec(i: number): CompletionRecord {
  return {
    v: 1, kind: 'completion', id: `r${i}`, ts: 1_700_000_000_000 + i, profile: 'qwen', model: 'm',
    endpoint: 'http://127.0.0.1:8000', template: 'qwen-fim', languageId: 'typescript', pathHash: '0123456789abcdef',
    prefix: `// ${i}\n${'export function add(a: number, b: number): number {\n  return '.repeat(8)}`, suffix: '\n}\n',
    promptTokens: 180, timings: { ttftMs: 40 + (i % 50), e2eMs: 300, tpotMs: 8, decodeTokensPerSec: 120, outputTokens: 32 },
    timeToShownMs: 320, shownText: 'a + b;', outcome: 'shown',
  };
}

/** The status bar for a serving profile, with the store's problem and note as StatusBar passes them. */
function statusBar(health: StoreHealth): StatusView {
  const base = { profile: 'qwen', count: 0, gpuState: { kind: 'running' as const }, server: { kind: 'ok' as const }, note: health.note };
  return renderStatus(health.problem ? { kind: 'degraded', message: health.problem, base } : { kind: 'serving', base });
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Every id r0 … r(n-1) is read back once, in order, with its own content. */
async function assertAllBack(store: RecordStore, n: number): Promise<void> {
  const { records, skippedLines } = await store.readAll();
  assert.equal(skippedLines, 0, 'no torn line');
  assert.equal(records.length, n, `${records.length} of ${n} records came back (${store.dropped} dropped)`);
  records.forEach((r, i) => assert.equal(r.id, `r${i}`));
  assert.equal(records[n - 1]!.prefix, rec(n - 1).prefix, 'the last record is intact');
}

describe('RecordStore under bursts', () => {
  // 20,000 records of ~0.9 KB: 18 MB, more than twice what the queue held before, and
  // below the store's default 50 MiB cap.
  const N = 20_000;
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-bursts-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a burst appended all at once comes back whole', async () => {
    const problems: string[] = [];
    const store = new RecordStore({ dir, onProblem: (m) => problems.push(m) });
    for (let i = 0; i < N; i++) store.append(rec(i));
    await store.flush();
    await assertAllBack(store, N);
    assert.equal(store.dropped, 0);
    assert.deepEqual(problems, []);
  });

  it('a steady stream (100 appends each turn of the event loop) comes back whole', async () => {
    const store = new RecordStore({ dir });
    for (let i = 0; i < N; i++) {
      store.append(rec(i));
      if (i % 100 === 99) await turn();
    }
    await store.flush();
    await assertAllBack(store, N);
    assert.equal(store.dropped, 0);
  });

  it('past the bound, the records that did not fit are counted as dropped and reported once', async () => {
    // The bound follows the store's size cap: a 1 MiB store queues at most 1 MiB.
    const problems: string[] = [];
    const store = new RecordStore({ dir, maxBytes: 1024 * 1024, onProblem: (m) => problems.push(m) });
    const n = 3000; // ~2.7 MB in one go
    for (let i = 0; i < n; i++) store.append(rec(i));
    await store.flush();
    assert.ok(store.dropped > 0, 'some records were dropped');
    const { records } = await store.readAll();
    assert.ok(records.length > 0, 'the records that fit were written');
    assert.equal(records.length + store.dropped, n, 'every record is on disk or counted as dropped');
    assert.equal(problems.length, 1, `reported once for the whole burst: ${problems.join(' | ')}`);
    assert.match(problems[0]!, /queue .* is full/);
  });

  it('dropped records reach the status bar with their count, and the count stays after writes resume', async () => {
    const logged: string[] = [];
    const health = new StoreHealth({ warn: (m) => logged.push(`warn: ${m}`), info: (m) => logged.push(`info: ${m}`) });
    let changes = 0;
    health.onDidChange(() => changes++);
    const store = new RecordStore({ dir, maxBytes: 1024 * 1024, ...health.storeCallbacks });
    for (let i = 0; i < 3000; i++) store.append(rec(i));
    const burst = store.dropped;
    assert.ok(burst > 0, 'the burst overflowed the queue');

    const during = statusBar(health);
    assert.equal(during.severity, 'warning', 'a warning while records are being dropped');
    assert.match(during.tooltip, /queue of records waiting for the disk is full/);
    assert.match(during.tooltip, new RegExp(`Recorded completions dropped so far\\\\?: ${burst}\\.`), 'with the count');
    assert.ok(changes > 0, 'the status bar is told to redraw');

    await store.flush();
    const resumed = statusBar(health);
    assert.equal(resumed.severity, 'normal', 'the warning clears once a write succeeds');
    assert.match(resumed.tooltip, new RegExp(`could not be written in this window and were dropped\\\\?: ${burst}\\.`), 'the count stays in the tooltip');

    // A second run (the folder replaced by a file: every write fails) counts from zero in
    // the warning, and the tooltip's total adds up both.
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, '');
    for (let i = 0; i < 3; i++) {
      store.append(rec(i));
      await store.flush().catch(() => undefined);
    }
    assert.match(statusBar(health).tooltip, /Recorded completions dropped so far\\?: 3\./);
    fs.rmSync(dir);
    store.append(rec(3));
    await store.flush();
    assert.match(statusBar(health).tooltip, new RegExp(`were dropped\\\\?: ${burst + 3}\\.`));
    assert.equal(health.dropped, store.dropped);

    assert.deepEqual(logged.map((l) => l.slice(0, l.indexOf(':'))), ['warn', 'info', 'warn', 'info'], `each run said once at its start and end: ${logged.join(' | ')}`);
    assert.match(logged[1]!, new RegExp(`\\(${burst} dropped meanwhile\\)`));
    assert.match(logged[3]!, /\(3 dropped meanwhile\)/);
  });
});
