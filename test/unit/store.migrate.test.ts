// Records written before timings became one field (schema 1, timings flat on the record)
// still read, with their timings, next to today's: recorded data is never lost.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { summarize } from '../../src/core/stats/summarize';
import { RecordStore } from '../../src/core/store/recordStore';

// Two lines exactly as the extension wrote them before (schema 1), and a patch to one.
const OLD_LINES = [
  '{"v":1,"kind":"completion","id":"old1","ts":1700000000000,"profile":"qwen","model":"qwen","endpoint":"http://127.0.0.1:8000","template":"qwen-fim","languageId":"python","pathHash":"abcd","promptTokens":120,"keystrokeToRequestMs":150,"ttftMs":42.5,"e2eMs":300,"tpotMs":8.2,"decodeTokensPerSec":121.9,"outputTokens":32,"outcome":"shown","gpu":{"vramPeakMiB":4719}}',
  '{"v":1,"kind":"completion","id":"old2","ts":1700000001000,"profile":"qwen","model":"qwen","endpoint":"http://127.0.0.1:8000","template":"qwen-fim","languageId":"python","pathHash":"abcd","outcome":"failed","error":"HTTP 500"}',
  '{"v":1,"kind":"patch","id":"old1","patchTs":1700000002000,"outcome":"accepted","acceptedChars":12}',
];

describe('RecordStore: records of the earlier schema', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-migrate-'));
    fs.writeFileSync(path.join(dir, 'records-000001.1-abc.jsonl'), OLD_LINES.join('\n') + '\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('read with their timings in one field, beside new records, and counted alike', async () => {
    const store = new RecordStore({ dir });
    store.append({
      v: 2, kind: 'completion', id: 'new1', ts: 1700000003000, profile: 'qwen', model: 'qwen', endpoint: 'http://127.0.0.1:8000',
      template: 'qwen-fim', languageId: 'python', pathHash: 'abcd', outcome: 'shown', timings: { ttftMs: 57.5, e2eMs: 400, outputTokens: 16 },
    });
    await store.flush();
    const { records, skippedLines } = await store.readAll();
    assert.equal(skippedLines, 0);
    assert.deepEqual(records.map((r) => r.id), ['old1', 'old2', 'new1']);
    const [old1, old2] = records;
    assert.deepEqual(old1!.timings, { ttftMs: 42.5, e2eMs: 300, tpotMs: 8.2, decodeTokensPerSec: 121.9, outputTokens: 32 });
    assert.equal(old1!.outcome, 'accepted', 'its patch still applies');
    assert.equal(old1!.promptTokens, 120);
    assert.equal(old1!.gpu?.vramPeakMiB, 4719);
    assert.equal(old2!.timings, undefined, 'a request that failed first has no timings');
    assert.ok(!('ttftMs' in old1!), 'one shape for readers');

    const [qwen] = summarize(records, { ttftSloMs: 300 });
    assert.equal(qwen!.ttftMs.count, 2);
    assert.equal(qwen!.ttftMs.p50, 50);
    assert.equal(qwen!.outputTokens, 48);
  });

  it('exports old and new records to the same CSV columns as before', async () => {
    const store = new RecordStore({ dir });
    const file = path.join(dir, 'out.csv');
    assert.equal(await store.exportCsv(file), 2);
    const [header, first] = fs.readFileSync(file, 'utf8').split('\r\n');
    const cols = header!.split(',');
    const row = first!.split(',');
    assert.equal(row[cols.indexOf('ttftMs')], '42.5');
    assert.equal(row[cols.indexOf('outputTokens')], '32');
    assert.equal(row[cols.indexOf('promptTokens')], '120');
    assert.ok(!cols.some((c) => c.startsWith('timings')), cols.join());
  });
});
