// The size cap is a setting the user may change while the editor runs: a lower cap trims
// the recorded data at once, keeping the newest records.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordStore } from '../../src/core/store/recordStore';
import type { CompletionRecord } from '../../src/core/store/record';

function rec(i: number): CompletionRecord {
  return {
    v: 1, kind: 'completion', id: `r${i}`, ts: 1_700_000_000_000 + i, profile: 'p', model: 'qwen', endpoint: 'http://127.0.0.1:8000',
    template: 'prefix-only', languageId: 'python', pathHash: 'abcd', prefix: `def f${i}(x):\n    return `.repeat(4), suffix: '', outcome: 'shown',
  };
}

describe('RecordStore: changing the size cap', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-cap-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a lower cap trims the oldest files at once, with nothing more written', async () => {
    const store = new RecordStore({ dir, maxBytes: 64 * 1024 });
    for (let i = 0; i < 400; i++) {
      store.append(rec(i));
      if (i % 10 === 9) await store.flush();
    }
    await store.flush();
    const before = await store.sizeOnDisk();
    assert.ok(before > 24 * 1024, `enough data to trim (${before} bytes)`);

    await store.setMaxBytes(24 * 1024);
    const after = await store.sizeOnDisk();
    assert.ok(after <= 24 * 1024, `total ${after} must be <= the new cap`);
    const ids = (await store.readAll()).records.map((r) => r.id);
    assert.equal(ids[ids.length - 1], 'r399', 'the newest record is kept');

    // And the new cap holds for what is written next.
    for (let i = 400; i < 800; i++) {
      store.append(rec(i));
      if (i % 10 === 9) await store.flush();
    }
    await store.flush();
    assert.ok((await store.sizeOnDisk()) <= 24 * 1024);
  });
});
