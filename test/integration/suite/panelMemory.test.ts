// The panel's model in a real extension host: records pass through it without it keeping
// their source text, whether the panel was ever opened or not (it once kept every full
// record, prefix and suffix too, until the panel was opened, even with recording off).
// Measured as heap after forced GCs: 2,000 records of 50 KB of source each would be 100 MB.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { CompletionRecord } from '../../../src/core/store/record';
import { RecordStore } from '../../../src/core/store/recordStore';
import { LiveStats } from '../../../src/extension/liveStats';
import { PanelModel } from '../../../src/extension/panelModel';

const RECORDS = 1_000;
const SOURCE_CHARS = 50_000;
const MIB = 1024 * 1024;

function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A record whose prefix and suffix are strings of their own (not slices of one shared string). */
function record(i: number): CompletionRecord {
  const source = (c: string) => Buffer.alloc(SOURCE_CHARS, c).toString('latin1') + String(i);
  return {
    v: 2, kind: 'completion', id: `r${i}`, ts: 1_700_000_000_000 + i, profile: 'p', model: 'm', endpoint: 'http://127.0.0.1:1',
    template: 'qwen-fim', languageId: 'python', pathHash: 'h', outcome: 'shown', prefix: source('a'), suffix: source('b'), timings: { ttftMs: 10 },
  };
}

describe("the panel's model", () => {
  it('keeps no source text of the records passing through it, closed or open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-panel-memory-'));
    const stats = new LiveStats();
    try {
      // Recording off: nothing reaches the disk, so whatever is held is held in memory.
      const store = new RecordStore({ dir: path.join(dir, 'records'), enabled: false });
      const panel = new PanelModel(store, stats, path.join(dir, 'reports'));
      const before = heapAfterGc();
      for (let i = 0; i < RECORDS; i++) panel.added(record(i)); // never opened
      const closed = heapAfterGc();
      await panel.state(true); // opened: from here on it follows new records
      for (let i = RECORDS; i < 2 * RECORDS; i++) panel.added(record(i));
      const open = heapAfterGc();
      const sent = (2 * RECORDS * 2 * SOURCE_CHARS) / MIB;
      console.log(`${process.env.COMPLETION_LAB_TEST_CONSOLE_MARK ?? ''}      (${sent.toFixed(0)} MiB of source passed through; heap +${((closed - before) / MIB).toFixed(1)} MiB closed, +${((open - closed) / MIB).toFixed(1)} MiB open)`);
      assert.ok((closed - before) / MIB < 10, `closed panel: heap grew ${((closed - before) / MIB).toFixed(1)} MiB for ${RECORDS} records`);
      assert.ok((open - closed) / MIB < 10, `open panel: heap grew ${((open - closed) / MIB).toFixed(1)} MiB for ${RECORDS} records`);
    } finally {
      stats.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
