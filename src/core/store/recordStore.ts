// RecordStore: the recorded completion traffic, as append-only JSONL files in one directory.
//
// - append() returns at once; a single writer loop writes everything queued, in one chunk
//   per turn, so it drains as fast as the disk takes writes however many records arrive
//   meanwhile (in 64 KB chunks, each costing an open, stat, write and close, it fell behind
//   a steady stream and the queue overflowed); flush() waits for it.
// - Faults: the queue is bounded (see queueBound(): past it new records are dropped); a
//   write the disk cuts short (ENOSPC) is truncated back to its last whole line, so no torn
//   line stays, and only the records after it are dropped. Dropped records are counted
//   (`dropped`, and `onDropped` with the running total), never re-queued to fill freed
//   space. A run of failures is reported once through `onProblem` (the status bar shows
//   it), and `onRecovered` says when a write succeeds again.
// - Each writer (one per process, i.e. per VS Code window) writes only its own files,
//   `records-<seq>.<writer>.jsonl`. Two windows on one dir therefore never interleave
//   partial lines, with no lock: O_APPEND gives no atomicity promise for regular files, and
//   proper-lockfile is only a transitive dependency of node-llama-cpp, which is optional here.
// - Bounded: past maxBytes/4 the writer starts a new file; the oldest files are deleted
//   while the directory's total is over maxBytes.
// - Crash-safe reads: a torn or invalid line is skipped and counted, never fatal.
// - Outcomes and the kept text arrive later: update() appends a patch record, merged at read.
// - Recording off: nothing is written; recordSource=false keeps timings but no source text.
import * as l10n from '@vscode/l10n';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PATCHABLE_FIELDS, upgradeRecord, type CompletionRecord } from './record';
import { toCsv } from './csv';

export type RecordPatchFields = Partial<Omit<CompletionRecord, 'v' | 'kind' | 'id'>>;

export interface RecordPatch extends RecordPatchFields {
  v: 1;
  kind: 'patch';
  id: string;
  /** Epoch ms of the patch (the record's own ts is not changed by it). */
  patchTs: number;
}

export interface RecordStoreOptions {
  dir: string;
  /** Size cap of the directory in bytes. Default 50 MiB. */
  maxBytes?: number;
  /** Recording on. Off: append() and update() write nothing. Default true. */
  enabled?: boolean;
  /** Keep prefix/suffix/shownText/keptText. Off: timings-only records. Default true. */
  recordSource?: boolean;
  /** Called once per run of failures (a full disk, a full queue), at its first, with a message for the user. */
  onProblem?: (message: string) => void;
  /** Called when a write succeeds after a reported problem: the problem is over. */
  onRecovered?: () => void;
  /** Called each time records are dropped, with the total dropped by this store so far. */
  onDropped?: (total: number) => void;
}

/**
 * Most bytes of records waiting for the disk, whatever the size cap; past the bound new
 * records are dropped and counted. The queue only fills while the disk takes no writes (a
 * hung network mount): a healthy disk drains it every turn. 64 MiB is 70,000 records of
 * ~0.9 KB (a short prefix) or 4,000 with 16 KB of source each, far more than anyone can
 * make by typing before a stall is seen; and it is memory a stalled disk can cost the
 * extension host, so it stays bounded rather than growing without limit.
 */
const MAX_QUEUE_BYTES = 64 * 1024 * 1024;

export interface ReadResult {
  records: CompletionRecord[];
  /** Lines that were torn or not valid records (skipped). */
  skippedLines: number;
  files: string[];
}

export interface QueryOptions {
  /** Only records with ts >= since (epoch ms). */
  since?: number;
  profile?: string;
  /** The newest `limit` records. */
  limit?: number;
}

const SOURCE_FIELDS = ['prefix', 'suffix', 'shownText', 'keptText'] as const;
const FILE_RE = /^records-(\d{6,})(?:\.([A-Za-z0-9-]+))?\.jsonl$/;

export const CSV_COLUMNS = [
  'id', 'ts', 'profile', 'model', 'endpoint', 'template', 'languageId', 'pathHash', 'outcome',
  'promptTokens', 'outputTokens', 'keystrokeToRequestMs', 'ttftMs', 'e2eMs', 'tpotMs', 'decodeTokensPerSec',
  'timeToShownMs', 'acceptedChars', 'tokensAfterCancel', 'error', 'gpu_vramAtFirstTokenMiB', 'gpu_vramPeakMiB',
  'gpu_utilMeanPct', 'prefix', 'suffix', 'shownText', 'keptText',
];

/** The lines of a file, streamed (a 50 MB store is never one string); none if it is gone. */
async function* readLines(file: string): AsyncGenerator<string> {
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  const missing = new Promise<boolean>((resolve) => {
    stream.once('error', () => resolve(true));
    stream.once('open', () => resolve(false));
  });
  if (await missing) return; // rotated away by another window meanwhile
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch {
    // the file vanished while being read: what was read stands
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** A write that failed part way: how many whole lines of the chunk stayed on disk. */
interface ChunkError {
  linesWritten?: number;
}

/** Lines (newlines) in the first `end` bytes of `buf`. */
function countLines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

function sortFiles(names: string[]): string[] {
  return names
    .map((n) => ({ n, m: FILE_RE.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]) || a.n.localeCompare(b.n))
    .map((x) => x.n);
}

export class RecordStore {
  readonly dir: string;
  private cap: number;
  private enabled: boolean;
  private recordSource: boolean;
  /** Unique per instance: pid plus random, so two stores in one process stay apart too. */
  private readonly writerId = `${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  private queue: string[] = [];
  private queueBytes = 0;
  private droppedCount = 0;
  private reported = false;
  private generation = 0;
  private readonly onProblem: (message: string) => void;
  private readonly onRecovered: () => void;
  private readonly onDropped: (total: number) => void;
  private writing: Promise<void> | undefined;
  private currentFile: string | undefined;
  private currentBytes = 0;
  private lastError: Error | undefined;

  constructor(options: RecordStoreOptions) {
    this.dir = options.dir;
    this.cap = Math.max(4096, options.maxBytes ?? 50 * 1024 * 1024);
    this.enabled = options.enabled ?? true;
    this.recordSource = options.recordSource ?? true;
    this.onProblem = options.onProblem ?? (() => undefined);
    this.onRecovered = options.onRecovered ?? (() => undefined);
    this.onDropped = options.onDropped ?? (() => undefined);
  }

  /** Records and patches dropped because the disk refused them or the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Changes on every clear(). Whoever will patch a record later (the kept text, seconds
   * after) passes the epoch it saw: a patch from before a Clear is not written.
   */
  get epoch(): number {
    return this.generation;
  }

  setRecording(opts: { enabled?: boolean; recordSource?: boolean }): void {
    if (opts.enabled !== undefined) this.enabled = opts.enabled;
    if (opts.recordSource !== undefined) this.recordSource = opts.recordSource;
  }

  get maxBytes(): number {
    return this.cap;
  }

  /** A new size cap applies at once: the next write starts a new file, and a lower cap trims now. */
  async setMaxBytes(bytes: number): Promise<void> {
    this.cap = Math.max(4096, bytes);
    if (this.currentBytes > this.cap / 4) this.currentFile = undefined;
    // While the writer runs, its next file trims to the cap; else trim here.
    if (!this.writing) await this.enforceCap(undefined);
  }

  get recording(): { enabled: boolean; recordSource: boolean } {
    return { enabled: this.enabled, recordSource: this.recordSource };
  }

  /** Queue a record; returns at once. Written by the background writer (see flush()). */
  append(record: CompletionRecord): void {
    if (!this.enabled) return;
    this.enqueue(this.strip({ ...record }));
  }

  /** Later facts about a record (outcome, accepted chars, kept text): merged when read. */
  update(id: string, patch: RecordPatchFields, epoch?: number): void {
    if (!this.enabled) return;
    if (epoch !== undefined && epoch !== this.generation) return; // the record was cleared
    const p: RecordPatch = { ...this.strip({ ...patch }), v: 1, kind: 'patch', id, patchTs: Date.now() };
    this.enqueue(p);
  }

  /** Resolves when everything appended so far is on disk; rejects if the disk refused it. */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length) {
      if (!this.writing) this.kick();
      await this.writing;
      if (this.lastError) {
        const err = this.lastError;
        this.lastError = undefined;
        throw err;
      }
    }
  }

  async readAll(): Promise<ReadResult> {
    const files = await this.listFiles();
    const byId = new Map<string, CompletionRecord>();
    const patches: RecordPatch[] = [];
    let skippedLines = 0;
    for (const name of files) {
      for await (const line of readLines(path.join(this.dir, name))) {
        if (!line.trim()) continue;
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch {
          skippedLines++;
          continue;
        }
        const rec = obj as { kind?: unknown; id?: unknown; ts?: unknown };
        if (!rec || typeof rec !== 'object' || typeof rec.id !== 'string') {
          skippedLines++;
        } else if (rec.kind === 'completion' && typeof rec.ts === 'number') {
          if (!byId.has(rec.id)) byId.set(rec.id, upgradeRecord(obj as Record<string, unknown>));
        } else if (rec.kind === 'patch') {
          patches.push(obj as RecordPatch);
        } else {
          skippedLines++;
        }
      }
    }
    patches.sort((a, b) => a.patchTs - b.patchTs);
    for (const p of patches) {
      const base = byId.get(p.id);
      if (!base) continue; // its record was rotated out
      const target = base as unknown as Record<string, unknown>;
      for (const key of PATCHABLE_FIELDS) if (Object.prototype.hasOwnProperty.call(p, key)) target[key] = p[key];
    }
    const records = [...byId.values()].sort((a, b) => a.ts - b.ts);
    return { records, skippedLines, files };
  }

  async query(opts: QueryOptions = {}): Promise<CompletionRecord[]> {
    let { records } = await this.readAll();
    if (opts.since !== undefined) records = records.filter((r) => r.ts >= opts.since!);
    if (opts.profile !== undefined) records = records.filter((r) => r.profile === opts.profile);
    if (opts.limit !== undefined) records = records.slice(Math.max(0, records.length - opts.limit));
    return records;
  }

  async exportJson(file: string): Promise<number> {
    await this.flush();
    const { records } = await this.readAll();
    await fs.promises.writeFile(file, JSON.stringify(records, null, 1) + '\n');
    return records.length;
  }

  async exportCsv(file: string): Promise<number> {
    await this.flush();
    const { records } = await this.readAll();
    // Timings as top-level columns, as spreadsheets have always had them; the record's own
    // promptTokens (counted by the tokenizer) wins over the server's.
    const rows = records.map(({ timings, ...r }) => ({ ...timings, ...r }));
    await fs.promises.writeFile(file, toCsv(rows, CSV_COLUMNS));
    return records.length;
  }

  /** Deletes every record file in the directory (all windows' files). */
  async clear(): Promise<void> {
    this.generation++;
    this.queue = [];
    this.queueBytes = 0;
    await this.writing?.catch(() => undefined);
    for (const name of await this.listFiles()) await fs.promises.rm(path.join(this.dir, name), { force: true });
    this.currentFile = undefined;
    this.currentBytes = 0;
  }

  /** Total bytes of record files in the directory. */
  async sizeOnDisk(): Promise<number> {
    let total = 0;
    for (const name of await this.listFiles()) {
      try {
        total += (await fs.promises.stat(path.join(this.dir, name))).size;
      } catch {
        // gone meanwhile
      }
    }
    return total;
  }

  private strip<T extends Record<string, unknown>>(obj: T): T {
    if (!this.recordSource) for (const f of SOURCE_FIELDS) delete obj[f];
    return obj;
  }

  /**
   * The queue holds at most the store's size cap (a burst bigger than the cap could not be
   * kept: its oldest records would be rotated out), and never more than MAX_QUEUE_BYTES.
   * Not spilled elsewhere: the queue is full only when the disk takes no writes, and a
   * spill file would sit on a disk too, with its own failures, for records the cap bounds.
   */
  private queueBound(): number {
    return Math.min(this.cap, MAX_QUEUE_BYTES);
  }

  private enqueue(obj: object): void {
    const line = JSON.stringify(obj) + '\n';
    const bound = this.queueBound();
    if (this.queueBytes + line.length > bound) {
      this.drop(1, l10n.t('the queue of records waiting for the disk is full ({0} bytes)', bound));
      return;
    }
    this.queue.push(line);
    this.queueBytes += line.length;
    this.kick();
  }

  private drop(records: number, why: string): void {
    if (records <= 0) return;
    this.droppedCount += records;
    if (!this.reported) {
      this.reported = true;
      this.onProblem(l10n.t('Recorded completions in {0} are being dropped: {1}. Free space on that disk (or make the folder writable); writing resumes by itself, and records dropped meanwhile are counted, not retried.', this.dir, why));
    }
    this.onDropped(this.droppedCount);
  }

  /** A write went through: a reported problem is over (the next failure is reported again). */
  private recovered(): void {
    if (!this.reported) return;
    this.reported = false;
    this.onRecovered();
  }

  private kick(): void {
    if (this.writing) return;
    // setImmediate: appends made in the same tick land in one batch, off the caller's path.
    this.writing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.writeLoop()).finally(() => {
      this.writing = undefined;
    });
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length) {
      // Everything queued, in one write: the more arrived meanwhile, the more this turn takes.
      const chunk = this.queue;
      this.queue = [];
      this.queueBytes = 0;
      try {
        await this.writeChunk(chunk);
        this.recovered();
      } catch (err) {
        const written = (err as ChunkError).linesWritten ?? 0;
        const message = l10n.t('Could not write recorded completions to {0}: {1}', this.dir, (err as Error).message);
        this.lastError = new Error(message);
        this.drop(chunk.length - written, (err as Error).message);
      }
    }
  }

  /**
   * Appends whole lines to the current file. A write cut short (ENOSPC) is cut back to its
   * last whole line and thrown as a ChunkError that says how many lines stayed.
   */
  private async writeChunk(lines: string[]): Promise<void> {
    if (!this.currentFile) await this.openNewFile();
    const full = path.join(this.dir, this.currentFile!);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(full, 'a');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await fs.promises.mkdir(this.dir, { recursive: true });
      handle = await fs.promises.open(full, 'a');
    }
    const buf = Buffer.from(lines.join(''));
    let written = 0;
    try {
      try {
        while (written < buf.length) {
          const { bytesWritten } = await handle.write(buf, written, buf.length - written);
          if (bytesWritten <= 0) throw new Error('the disk accepted no bytes');
          written += bytesWritten;
        }
      } catch (err) {
        // Only this writer writes this file, so it ends with the `written` bytes of this
        // chunk: keep its whole lines and cut the torn one.
        const whole = written > 0 ? buf.lastIndexOf(0x0a, written - 1) + 1 : 0;
        if (whole < written) await handle.stat().then((st) => handle.truncate(st.size - (written - whole))).catch(() => undefined);
        this.currentBytes += whole;
        const failed: Error & ChunkError = err as Error;
        failed.linesWritten = countLines(buf, whole);
        throw failed;
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
    this.currentBytes += buf.length;
    if (this.currentBytes > this.maxBytes / 4) {
      this.currentFile = undefined; // the next batch starts a new file
      await this.enforceCap(full);
    }
  }

  private async openNewFile(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const files = await this.listFiles();
    const maxSeq = files.reduce((m, n) => Math.max(m, Number(FILE_RE.exec(n)![1])), 0);
    this.currentFile = `records-${String(maxSeq + 1).padStart(6, '0')}.${this.writerId}.jsonl`;
    this.currentBytes = 0;
    await this.enforceCap(undefined);
  }

  /** Deletes the oldest files while the directory is over the cap (never `keep`). */
  private async enforceCap(keep: string | undefined): Promise<void> {
    const files = await this.listFiles();
    const sizes = await Promise.all(files.map((n) => fs.promises.stat(path.join(this.dir, n)).then((s) => s.size, () => 0)));
    let total = sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < files.length && total > this.maxBytes; i++) {
      const full = path.join(this.dir, files[i]!);
      if (full === keep || files[i] === this.currentFile) continue;
      await fs.promises.rm(full, { force: true });
      total -= sizes[i]!;
    }
  }

  private async listFiles(): Promise<string[]> {
    try {
      return sortFiles(await fs.promises.readdir(this.dir));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
