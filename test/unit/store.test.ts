import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordStore } from '../../src/core/store/recordStore';
import type { CompletionRecord } from '../../src/core/store/record';

function rec(i: number, extra: Partial<CompletionRecord> = {}): CompletionRecord {
  return {
    v: 1,
    kind: 'completion',
    id: `r${i}`,
    ts: 1_700_000_000_000 + i,
    profile: i % 2 ? 'odd' : 'even',
    model: 'qwen',
    endpoint: 'http://127.0.0.1:8000',
    template: 'prefix-only',
    languageId: 'python',
    pathHash: 'abcd',
    prefix: `def f${i}(x):\n    return `,
    suffix: '',
    timings: { ttftMs: 10 + i, outputTokens: 5 },
    outcome: 'shown',
    ...extra,
  };
}

describe('RecordStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('append returns at once and flush puts every record on disk', async () => {
    const store = new RecordStore({ dir });
    for (let i = 0; i < 5; i++) store.append(rec(i));
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written on the caller path');
    await store.flush();
    const { records, skippedLines, files } = await store.readAll();
    assert.deepEqual(records.map((r) => r.id), ['r0', 'r1', 'r2', 'r3', 'r4']);
    assert.equal(skippedLines, 0);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^records-000001\.\d+-[0-9a-f]+\.jsonl$/);
  });

  it('a torn last line (a crash mid-write) is skipped and counted; the other records stay', async () => {
    const store = new RecordStore({ dir });
    for (let i = 0; i < 3; i++) store.append(rec(i));
    await store.flush();
    const [file] = fs.readdirSync(dir);
    const half = JSON.stringify(rec(99)).slice(0, 40);
    fs.appendFileSync(path.join(dir, file!), half);
    const result = await store.readAll();
    assert.deepEqual(result.records.map((r) => r.id), ['r0', 'r1', 'r2']);
    assert.equal(result.skippedLines, 1);
    // A later append after the torn line: the torn line stays one skipped line, nothing else lost.
    const store2 = new RecordStore({ dir });
    store2.append(rec(3));
    await store2.flush();
    const again = await store2.readAll();
    assert.deepEqual(again.records.map((r) => r.id), ['r0', 'r1', 'r2', 'r3']);
    assert.equal(again.skippedLines, 1);
    // An invalid line in the middle of a file also counts, and does not stop the read.
    fs.appendFileSync(path.join(dir, file!), '\n{"kind":"completion"}\nnot json\n' + JSON.stringify(rec(4)) + '\n');
    const third = await store2.readAll();
    assert.deepEqual(third.records.map((r) => r.id), ['r0', 'r1', 'r2', 'r3', 'r4']);
    assert.equal(third.skippedLines, 3);
  });

  it('rotates past cap/4 and deletes the oldest files: total stays under the cap, newest records kept', async () => {
    const maxBytes = 16 * 1024;
    const store = new RecordStore({ dir, maxBytes });
    const lineBytes = Buffer.byteLength(JSON.stringify(rec(1000)) + '\n');
    const n = Math.ceil((maxBytes * 3) / lineBytes); // three caps' worth
    for (let i = 0; i < n; i++) {
      store.append(rec(1000 + i));
      if (i % 10 === 9) await store.flush(); // batches of 10, as a busy editor would produce
    }
    await store.flush();
    const total = await store.sizeOnDisk();
    assert.ok(total <= maxBytes, `total ${total} must be <= cap ${maxBytes}`);
    const { records, files } = await store.readAll();
    assert.ok(files.length >= 3, `rotated into several files, got ${files.length}`);
    assert.ok(records.length > 0 && records.length < n);
    const ids = records.map((r) => r.id);
    assert.equal(ids[ids.length - 1], `r${1000 + n - 1}`, 'the newest record is kept');
    // What is kept is a contiguous run of the newest records.
    const nums = ids.map((id) => Number(id.slice(1)));
    nums.forEach((v, k) => k && assert.equal(v, nums[k - 1]! + 1));
  });

  it('two stores (two windows) and many un-awaited appends: every record exactly once, no torn lines', async () => {
    const a = new RecordStore({ dir, maxBytes: 64 * 1024 * 1024 });
    const b = new RecordStore({ dir, maxBytes: 64 * 1024 * 1024 });
    const big = 'x'.repeat(9000); // lines bigger than PIPE_BUF
    for (let i = 0; i < 400; i++) {
      (i % 2 ? a : b).append(rec(i, { prefix: big + i }));
      if (i % 50 === 0) await new Promise((r) => setImmediate(r)); // let writers run mid-stream
    }
    await Promise.all([a.flush(), b.flush()]);
    const { records, skippedLines } = await new RecordStore({ dir }).readAll();
    assert.equal(skippedLines, 0);
    assert.equal(records.length, 400);
    assert.equal(new Set(records.map((r) => r.id)).size, 400);
    for (const r of records) assert.equal(r.prefix, big + r.id.slice(1));
  });

  it('two processes appending to one directory at once: every record exactly once', async () => {
    const storeModule = path.resolve(__dirname, '..', '..', 'src', 'core', 'store', 'recordStore.js');
    const script = `
      const { RecordStore } = require(${JSON.stringify(storeModule)});
      const s = new RecordStore({ dir: process.argv[1] });
      const who = process.argv[2];
      for (let i = 0; i < 300; i++) s.append({ v: 1, kind: 'completion', id: who + i, ts: i, profile: who, model: 'm',
        endpoint: 'e', template: 't', languageId: 'l', pathHash: 'h', outcome: 'shown', prefix: 'y'.repeat(5000) });
      s.flush().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
    const { spawn } = await import('node:child_process');
    const run = (who: string) =>
      new Promise<number>((resolve) => spawn(process.execPath, ['-e', script, dir, who], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)));
    assert.deepEqual(await Promise.all([run('a'), run('b')]), [0, 0]);
    const { records, skippedLines, files } = await new RecordStore({ dir }).readAll();
    assert.equal(skippedLines, 0);
    assert.equal(records.length, 600);
    assert.equal(new Set(records.map((r) => r.id)).size, 600);
    assert.ok(files.length >= 2, 'one file per writer');
  });

  it('update() appends a patch merged at read time, without rewriting files', async () => {
    const store = new RecordStore({ dir });
    store.append(rec(1));
    store.append(rec(2));
    await store.flush();
    const sizeBefore = await store.sizeOnDisk();
    store.update('r1', { outcome: 'accepted', acceptedChars: 12 });
    store.update('r1', { keptText: 'return x + 1' });
    store.update('r2', { outcome: 'rejected' });
    store.update('gone', { outcome: 'accepted' }); // its record was rotated out: ignored
    await store.flush();
    assert.ok((await store.sizeOnDisk()) > sizeBefore);
    const { records, skippedLines } = await store.readAll();
    assert.equal(skippedLines, 0);
    assert.equal(records.length, 2);
    const r1 = records.find((r) => r.id === 'r1')!;
    assert.equal(r1.outcome, 'accepted');
    assert.equal(r1.acceptedChars, 12);
    assert.equal(r1.keptText, 'return x + 1');
    assert.equal(r1.ts, rec(1).ts, 'the patch does not move the record in time');
    assert.equal(records.find((r) => r.id === 'r2')!.outcome, 'rejected');
  });

  it('query by since, profile and limit (newest)', async () => {
    const store = new RecordStore({ dir });
    for (let i = 0; i < 10; i++) store.append(rec(i));
    await store.flush();
    assert.deepEqual((await store.query({ profile: 'odd' })).map((r) => r.id), ['r1', 'r3', 'r5', 'r7', 'r9']);
    assert.deepEqual((await store.query({ since: rec(7).ts })).map((r) => r.id), ['r7', 'r8', 'r9']);
    assert.deepEqual((await store.query({ profile: 'even', limit: 2 })).map((r) => r.id), ['r6', 'r8']);
  });

  it('exports JSON and CSV with proper quoting of commas, quotes and newlines', async () => {
    const store = new RecordStore({ dir });
    store.append(rec(1, { prefix: 'a, "b"\nc', gpu: { vramPeakMiB: 4719 } }));
    store.append(rec(2, { prefix: 'plain' }));
    const jsonFile = path.join(dir, 'out.json');
    const csvFile = path.join(dir, 'out.csv');
    assert.equal(await store.exportJson(jsonFile), 2);
    assert.equal(await store.exportCsv(csvFile), 2);
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as CompletionRecord[];
    assert.equal(json[0]!.prefix, 'a, "b"\nc');
    const csv = fs.readFileSync(csvFile, 'utf8');
    const header = csv.split('\r\n')[0]!.split(',');
    assert.equal(header[0], 'id');
    assert.ok(header.includes('gpu_vramPeakMiB'));
    assert.ok(csv.includes('"a, ""b""\nc"'), 'quoted, quotes doubled, newline kept inside quotes');
    assert.ok(csv.includes(',4719,'));
    assert.ok(csv.endsWith('\r\n'));
  });

  it('clear() removes all recorded files', async () => {
    const store = new RecordStore({ dir });
    store.append(rec(1));
    await store.flush();
    const other = new RecordStore({ dir });
    other.append(rec(2));
    await other.flush();
    await store.clear();
    assert.equal((await store.readAll()).records.length, 0);
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).length, 0);
    store.append(rec(3));
    await store.flush();
    assert.deepEqual((await store.readAll()).records.map((r) => r.id), ['r3']);
  });

  it('recording off writes nothing; recordSource=false keeps timings but no source text', async () => {
    const off = new RecordStore({ dir, enabled: false });
    off.append(rec(1));
    off.update('r1', { keptText: 'secret' });
    await off.flush();
    assert.deepEqual(fs.readdirSync(dir), []);
    const timingsOnly = new RecordStore({ dir, recordSource: false });
    timingsOnly.append(rec(2, { shownText: 'shown', keptText: 'kept' }));
    timingsOnly.update('r2', { keptText: 'kept later', outcome: 'accepted' });
    await timingsOnly.flush();
    const raw = fs.readdirSync(dir).map((n) => fs.readFileSync(path.join(dir, n), 'utf8')).join('');
    assert.ok(!raw.includes('def f2') && !raw.includes('kept') && !/"(prefix|suffix|shownText|keptText)"/.test(raw), raw);
    const [r] = (await timingsOnly.readAll()).records;
    assert.equal(r!.timings?.ttftMs, 12);
    assert.equal(r!.outcome, 'accepted');
    assert.equal(r!.prefix, undefined);
    assert.equal(r!.keptText, undefined);
  });
});
