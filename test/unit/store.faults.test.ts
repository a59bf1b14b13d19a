// The record store under faults: a full disk (a real 2 MB tmpfs), hostile patch lines,
// formula cells in a CSV export, and Clear while patches are still due.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordStore } from '../../src/core/store/recordStore';
import type { CompletionRecord } from '../../src/core/store/record';

function rec(i: number, prefixChars = 40): CompletionRecord {
  return {
    v: 1,
    kind: 'completion',
    id: `r${i}`,
    ts: 1_700_000_000_000 + i,
    profile: 'p',
    model: 'qwen',
    endpoint: 'http://127.0.0.1:8000',
    template: 'prefix-only',
    languageId: 'python',
    pathHash: 'abcd',
    prefix: `# ${i}\n${'x = 1\n'.repeat(Math.ceil(prefixChars / 6))}`,
    outcome: 'shown',
  };
}

describe('RecordStore under faults', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store-faults-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('a full disk (a real 2 MB tmpfs)', () => {
    let mnt: string | undefined;
    before(function () {
      const m = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-tmpfs-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', m], { stdio: 'pipe' });
        mnt = m;
      } catch (err) {
        fs.rmSync(m, { recursive: true, force: true });
        console.log(`      (skipped: cannot mount a 2 MB tmpfs here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}; run as root to test a full disk)`);
        this.skip();
      }
    });
    after(() => {
      if (!mnt) return;
      execFileSync('umount', [mnt]);
      fs.rmSync(mnt, { recursive: true, force: true });
    });

    it('keeps the records that fit, counts the rest as dropped, reports each run of failures once, and corrupts nothing', async () => {
      const problems: string[] = [];
      const events: string[] = [];
      const store = new RecordStore({ dir: path.join(mnt!, 'records'), onProblem: (m) => { problems.push(m); events.push('problem'); }, onRecovered: () => events.push('recovered') });
      const total = 600;
      const recordBytes = JSON.stringify(rec(0, 10_000)).length + 1;
      for (let i = 0; i < total; i++) {
        store.append(rec(i, 10_000));
        if (i % 20 === 19) await store.flush().catch(() => undefined);
      }
      await store.flush().catch(() => undefined);
      const { records, skippedLines } = await store.readAll();
      assert.equal(skippedLines, 0, 'no torn or partial line is left on disk');
      assert.equal(records.length + store.dropped, total, 'every record is either on disk or counted as dropped');
      const fit = Math.floor((2 * 1024 * 1024) / recordBytes);
      assert.ok(records.length >= fit * 0.8, `the records that fit survive: ${records.length} of about ${fit}`);
      for (const r of records) assert.equal(r.prefix, rec(Number(r.id.slice(1)), 10_000).prefix, 'what was written is intact');
      // A smaller chunk may still fit after a refused one: each run of failures is reported
      // once, and only after a write went through in between.
      assert.ok(problems.length >= 1, 'the full disk is reported');
      assert.ok(events.every((e, i) => i === 0 ? e === 'problem' : e !== events[i - 1]), `reported once per run of failures: ${events.join(', ')}`);
      assert.match(problems[0]!, /ENOSPC|no space/i);
      assert.match(problems[0]!, /dropped/);
    });
  });

  it('a write error is reported once for its whole run, and cleared when a write succeeds again', async () => {
    const problems: string[] = [];
    let recovered = 0;
    const store = new RecordStore({ dir, onProblem: (m) => problems.push(m), onRecovered: () => recovered++ });
    store.append(rec(1));
    await store.flush();
    // The file being written becomes a directory: every append now fails (EISDIR) on a real file system.
    const file = path.join(dir, fs.readdirSync(dir)[0]!);
    fs.rmSync(file);
    fs.mkdirSync(file);
    for (let i = 2; i <= 4; i++) {
      store.append(rec(i));
      await store.flush().catch(() => undefined);
    }
    assert.equal(problems.length, 1, `said once for three failed writes: ${problems.join(' | ')}`);
    assert.match(problems[0]!, /EISDIR/);
    assert.match(problems[0]!, /Free space on that disk/, 'says what to do');
    assert.equal(recovered, 0, 'not cleared while writes fail');
    assert.equal(store.dropped, 3);

    fs.rmdirSync(file);
    store.append(rec(5));
    await store.flush();
    assert.equal(recovered, 1, 'cleared by the first write that succeeds');
    assert.deepEqual((await store.readAll()).records.map((r) => r.id), ['r5'], 'the record written after the fault is on disk');

    fs.rmSync(file);
    fs.mkdirSync(file);
    store.append(rec(6));
    await store.flush().catch(() => undefined);
    assert.equal(problems.length, 2, 'a new failure after recovery is said again');
  });

  it('a patch line with __proto__ does not change a record\'s prototype; only known fields are copied', async () => {
    const store = new RecordStore({ dir });
    store.append(rec(1));
    await store.flush();
    const file = path.join(dir, fs.readdirSync(dir)[0]!);
    fs.appendFileSync(file, '{"v":1,"kind":"patch","id":"r1","patchTs":1,"__proto__":{"polluted":true,"outcome":"accepted"},"constructor":{"x":1},"bogus":"y","outcome":"rejected"}\n');
    const { records } = await store.readAll();
    const r = records[0]!;
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
    assert.equal((r as unknown as { polluted?: unknown }).polluted, undefined);
    assert.equal((r as unknown as Record<string, unknown>)['bogus'], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(r, 'constructor'), false);
    assert.equal(r.outcome, 'rejected');
  });

  it('CSV export escapes cells a spreadsheet would run as formulas (=, +, -, @, tab, CR)', async () => {
    const store = new RecordStore({ dir });
    const evil = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    evil.forEach((text, i) => store.append({ ...rec(i), shownText: text, timings: { ttftMs: -1 } }));
    const out = path.join(dir, 'out.csv');
    await store.exportCsv(out);
    const csv = fs.readFileSync(out, 'utf8');
    for (const text of evil) {
      const cell = text.replace(/"/g, '""'); // RFC 4180 doubles quotes inside a quoted cell
      assert.ok(!csv.includes(`,${cell}`) && !csv.includes(`,"${cell}`), `${JSON.stringify(text)} is not left as a formula`);
      assert.ok(csv.includes(`'${cell}`), `${JSON.stringify(text)} is kept, prefixed with an apostrophe`);
    }
    assert.match(csv, /,-1,/, 'numbers are numbers');
  });

  it('a patch due from before Clear (kept text captured later) writes nothing after it', async () => {
    const store = new RecordStore({ dir });
    store.append(rec(1));
    await store.flush();
    const epoch = store.epoch;
    await store.clear();
    store.update('r1', { keptText: 'secret source' }, epoch);
    await store.flush();
    const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const text = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
    assert.ok(!text.includes('secret source'), 'no source text written after Clear');
    store.update('r2', { outcome: 'accepted' }, store.epoch);
    await store.flush();
    assert.equal(fs.readdirSync(dir).length, 1, 'a patch from after Clear is written');
  });

  it('reads a large file line by line, never as one string', async () => {
    const store = new RecordStore({ dir });
    for (let i = 0; i < 50; i++) store.append(rec(i, 20_000));
    await store.flush();
    const readFile = fs.promises.readFile;
    let whole = 0;
    (fs.promises as { readFile: unknown }).readFile = (...args: unknown[]) => {
      whole++;
      return (readFile as (...a: unknown[]) => unknown)(...args);
    };
    try {
      const { records } = await store.readAll();
      assert.equal(records.length, 50);
    } finally {
      fs.promises.readFile = readFile;
    }
    assert.equal(whole, 0, 'no whole-file read');
  });
});
