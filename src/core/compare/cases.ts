// The cases a comparison replays: each is a cursor (prefix | suffix) with the ground truth
// that belongs there. From recorded traffic (what the developer kept), or, where nothing is
// recorded yet, drawn from the workspace's own files at real line starts with the real
// following lines as the truth.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importCandidates } from '../context/imports';
import type { ContextSnippet } from '../context/snippets';
import { languageIdForFile } from '../pipeline/languageId';
import type { CompletionRecord } from '../store/record';
import { RecordStore } from '../store/recordStore';
import { mulberry32 } from '../random';
import { countLineTokens } from '../context/tokenizer';
import { DEFAULT_LENGTH_BOUNDS, LENGTH_CLASSES, lengthClassOf, type LengthBounds, type LengthClassName } from './lengthClasses';

export type CaseSource = 'recorded' | 'workspace';
/** Where a selection came from: recorded traffic topped up with workspace samples is 'mixed'. */
export type SelectionSource = CaseSource | 'mixed';

export interface ReplayCase {
  id: string;
  languageId: string;
  prefix: string;
  suffix: string;
  /** What belongs at the cursor: the kept text, or the file's next line(s). */
  groundTruth: string;
  source: CaseSource;
  /** Workspace cases sampled at line ends (`WorkspaceSampleOptions.cursor`). */
  atLineEnd?: boolean;
  /** Workspace cases: the file (relative to the root) and the 1-based line of the cursor. */
  file?: string;
  line?: number;
  /**
   * Workspace cases: snippets of other files a profile with other files on adds to the
   * prompt (the files this one imports, then files beside it of its language, standing in
   * for what an editor has open). Recorded cases have none: records keep no other files.
   */
  otherFiles?: { snippets: ContextSnippet[]; currentPath: string; repoName: string };
}

/** Characters of each other file a workspace case carries, as the editor's candidates do. */
const OTHER_FILE_CHARS = 4000;
/** Files beside the case's file offered besides its imports. */
const NEIGHBOUR_FILES = 3;

/** How much of the prefix end decides "the same spot" when deduplicating recorded traffic. */
const DEDUPE_TAIL_CHARS = 200;

/**
 * Recorded requests that carry their prompt text and what the developer kept, newest first,
 * one per prefix tail (typing through the same spot records many requests with ever longer
 * prefixes; those with the same last 200 characters are one case).
 */
export function casesFromRecords(records: readonly CompletionRecord[], opts: { limit?: number } = {}): ReplayCase[] {
  const usable = records
    .filter((r) => typeof r.prefix === 'string' && r.prefix.length > 0 && typeof r.keptText === 'string' && r.keptText.trim().length > 0)
    .sort((a, b) => b.ts - a.ts);
  const seen = new Set<string>();
  const out: ReplayCase[] = [];
  for (const r of usable) {
    const key = `${r.languageId}\u0000${r.prefix!.slice(-DEDUPE_TAIL_CHARS)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: r.id, languageId: r.languageId, prefix: r.prefix!, suffix: r.suffix ?? '', groundTruth: r.keptText!, source: 'recorded' });
    if (opts.limit !== undefined && out.length >= opts.limit) break;
  }
  return out;
}

/** Reads a RecordStore directory (read only) and returns its replayable cases. */
export async function casesFromRecordDir(dir: string, opts: { limit?: number } = {}): Promise<{ cases: ReplayCase[]; records: number; skippedLines: number }> {
  const store = new RecordStore({ dir, enabled: false });
  const { records, skippedLines } = await store.readAll();
  return { cases: casesFromRecords(records, opts), records: records.length, skippedLines };
}

export interface WorkspaceSampleOptions {
  count: number;
  seed?: number;
  /** File extensions with the dot (default: common source files). */
  extensions?: string[];
  /** Lines of ground truth (the cursor's line and the ones after it). Default 3. */
  truthLines?: number;
  /** Skip files larger than this. Default 200 KB. */
  maxFileBytes?: number;
  /** Stop walking after this many files (huge monorepos). Default 5000. */
  maxFiles?: number;
  /**
   * Draw spots across the prompt-length classes (short, medium, long by the tokens above
   * the cursor, capped at the budget), in turn, where the files allow. Default bounds
   * [256, 1024], budget 1536 (the editor's default).
   */
  lengthBounds?: LengthBounds;
  budgetTokens?: number;
  /**
   * Tokens of one line, for drawing across the classes. Default: the real tokenizer. The
   * extension host passes an estimate: there the tokenizer runs only in the prompt worker,
   * and the report classes each request by the prompt tokens actually sent anyway.
   */
  lineTokens?: (line: string) => number;
  /**
   * Where the cursor sits. 'line-start' (default): at the start of a line's text, the truth
   * that line and the next ones. 'line-end': at the end of the line above, as after typing a
   * line and pausing, the truth a line break and then those lines; the line above must have
   * text. A model can be good at one and poor at the other (the bundled model gets about 8 %
   * of first lines right at line starts and 2 % at line ends), so a comparison can ask for either.
   */
  cursor?: WorkspaceCursor;
}

export type WorkspaceCursor = 'line-start' | 'line-end';
export const WORKSPACE_CURSORS: readonly WorkspaceCursor[] = ['line-start', 'line-end'];

/** A quick stand-in for a line's token count (code averages 3-4 characters a token). */
export function estimateLineTokens(line: string): number {
  return Math.ceil(line.length / 3.5);
}

export const DEFAULT_EXTENSIONS = ['.py', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.java', '.go', '.rs', '.c', '.h', '.cc', '.cpp', '.hpp', '.cs', '.rb', '.php', '.kt', '.swift', '.scala', '.lua', '.sh', '.json'];
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.vscode-test', '.test-cache', '__pycache__', '.venv', 'venv', 'target', 'coverage']);
/** The cursor needs some context above it to be a fair question. */
const MIN_LINES_BEFORE = 5;

/**
 * Cursor positions at the start of non-blank lines (with at least 5 lines above), or with
 * `cursor: 'line-end'` at the end of the line above them, spread over the files round-robin,
 * deterministic for a seed. Ground truth: that line and the next ones (default 3 lines,
 * without the final newline; at a line end, after the line break); the suffix starts right after it.
 */
export async function sampleWorkspaceCases(rootDir: string, opts: WorkspaceSampleOptions): Promise<ReplayCase[]> {
  const root = path.resolve(rootDir);
  const exts = new Set((opts.extensions ?? DEFAULT_EXTENSIONS).map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase()));
  const files = await walk(root, exts, opts.maxFiles ?? 5000);
  const rand = mulberry32(opts.seed ?? 1);
  const truthLines = Math.max(1, opts.truthLines ?? 3);
  const atLineEnd = opts.cursor === 'line-end';
  const maxBytes = opts.maxFileBytes ?? 200 * 1024;

  type FileCandidates = { rel: string; text: string; starts: number[]; lines: string[]; order: number[]; used: Set<number>; tokensBefore?: number[] };
  const bounds = opts.lengthBounds ?? DEFAULT_LENGTH_BOUNDS;
  const budget = opts.budgetTokens ?? 1536;
  // Tokens above each line, counted only for files a draw visits (the real tokenizer, per line, cached).
  const lineTokens = opts.lineTokens ?? countLineTokens;
  const classOfLine = (f: FileCandidates, li: number): LengthClassName => {
    if (!f.tokensBefore) {
      f.tokensBefore = [0];
      for (const l of f.lines) f.tokensBefore.push(f.tokensBefore[f.tokensBefore.length - 1]! + lineTokens(l) + 1);
    }
    return lengthClassOf(Math.min(budget, f.tokensBefore[li]!), bounds);
  };
  const pool: FileCandidates[] = [];
  for (const abs of files) {
    const text = await readText(abs, maxBytes);
    if (text === undefined) continue;
    const lines = text.split('\n');
    const starts: number[] = [];
    let off = 0;
    for (const l of lines) {
      starts.push(off);
      off += l.length + 1;
    }
    const order: number[] = [];
    for (let i = MIN_LINES_BEFORE; i < lines.length; i++) if (lines[i]!.trim().length > 0 && (!atLineEnd || lines[i - 1]!.trim().length > 0)) order.push(i);
    if (!order.length) continue;
    shuffle(order, rand);
    pool.push({ rel: path.relative(root, abs).split(path.sep).join('/'), text, starts, lines, order, used: new Set() });
  }
  shuffle(pool, rand);

  const out: ReplayCase[] = [];
  // Round-robin over files so a few big files do not take every sample; each draw asks for
  // the next length class in turn and takes the file's next spot of that class, else its next spot.
  for (let round = 0; out.length < opts.count && pool.some((f) => round < f.order.length); round++) {
    for (const f of pool) {
      if (out.length >= opts.count) break;
      if (f.used.size >= f.order.length) continue;
      const wanted = LENGTH_CLASSES[out.length % LENGTH_CLASSES.length];
      const free = f.order.filter((i) => !f.used.has(i));
      const li = free.find((i) => classOfLine(f, i) === wanted) ?? free[0]!;
      f.used.add(li);
      const last = Math.min(f.lines.length - 1, li + truthLines - 1);
      // At a line end the cursor is before the line above's line break (and its \r, if any).
      const start = atLineEnd ? f.starts[li - 1]! + f.lines[li - 1]!.replace(/\r$/, '').length : f.starts[li]!;
      const end = f.starts[last]! + f.lines[last]!.replace(/\r$/, '').length;
      out.push({
        id: atLineEnd ? `${f.rel}:${li}:end` : `${f.rel}:${li + 1}`,
        languageId: languageIdForFile(f.rel),
        prefix: f.text.slice(0, start),
        suffix: f.text.slice(end),
        groundTruth: f.text.slice(start, end),
        source: 'workspace',
        file: f.rel,
        line: atLineEnd ? li : li + 1,
        ...(atLineEnd ? { atLineEnd } : {}),
      });
    }
  }
  for (const c of out) {
    const snippets = otherFilesOf(c.file!, c.languageId, pool);
    if (snippets.length) c.otherFiles = { snippets, currentPath: c.file!, repoName: path.basename(root) };
  }
  return out;
}

function otherFilesOf(rel: string, languageId: string, pool: readonly { rel: string; text: string }[]): ContextSnippet[] {
  const byPath = new Map(pool.map((f) => [f.rel, f.text]));
  const head = (text: string) => (text.length <= OTHER_FILE_CHARS ? text : text.slice(0, Math.max(1, text.lastIndexOf('\n', OTHER_FILE_CHARS))));
  const out: ContextSnippet[] = [];
  for (const group of importCandidates(byPath.get(rel) ?? '', languageId, rel)) {
    const hit = group.find((p) => p !== rel && byPath.has(p));
    if (hit) out.push({ path: hit, languageId, text: head(byPath.get(hit)!), source: 'import', at: 0 });
  }
  const dir = path.posix.dirname(rel);
  const beside = pool.filter((f) => f.rel !== rel && path.posix.dirname(f.rel) === dir && languageIdForFile(f.rel) === languageId).slice(0, NEIGHBOUR_FILES);
  for (const f of beside) out.push({ path: f.rel, languageId, text: head(f.text), source: 'viewed', at: 0 });
  return out;
}

/** Sorted walk (so the seed alone decides the sample), skipping build/vendor folders. */
async function walk(root: string, exts: Set<string>, maxFiles: number): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: skip it, the rest of the workspace still counts
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await visit(p);
      } else if (e.isFile() && exts.has(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  await visit(root);
  return out;
}

/** The file's text, or undefined when too big, unreadable or binary (a NUL in the first 8 KB). */
async function readText(file: string, maxBytes: number): Promise<string | undefined> {
  try {
    const st = await fs.promises.stat(file);
    if (st.size > maxBytes || st.size === 0) return undefined;
    const buf = await fs.promises.readFile(file);
    if (buf.subarray(0, 8192).includes(0)) return undefined;
    return buf.toString('utf8');
  } catch {
    return undefined;
  }
}


function shuffle<T>(items: T[], rand: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export interface CaseSelection {
  cases: ReplayCase[];
  source: SelectionSource;
  /** One line for the user on where the cases came from. */
  note: string;
}

/**
 * What "Run model comparison" replays: recorded traffic with kept text first; when there is
 * less of it than asked for, topped up with a sample of the workspace folders (the count
 * shared out over them, round-robin).
 */
export async function selectCases(opts: { records?: readonly CompletionRecord[]; workspaceDirs?: readonly string[]; count: number; seed?: number; lineTokens?: (line: string) => number; cursor?: WorkspaceCursor }): Promise<CaseSelection> {
  const recorded = casesFromRecords(opts.records ?? [], { limit: opts.count });
  if (recorded.length >= opts.count) return { cases: recorded, source: 'recorded', note: `${recorded.length} recorded requests with the text that was kept` };
  const spots = opts.cursor === 'line-end' ? 'line-end spots' : 'spots';
  const sampled = await sampleDirs(opts.workspaceDirs ?? [], opts.count - recorded.length, { seed: opts.seed, lineTokens: opts.lineTokens, cursor: opts.cursor });
  if (!recorded.length) {
    const why = opts.records?.length ? 'no recorded request has kept text yet' : 'no traffic recorded yet';
    return { cases: sampled, source: 'workspace', note: `${sampled.length} ${spots} sampled from the workspace files (${why})` };
  }
  if (!sampled.length) return { cases: recorded, source: 'recorded', note: `${recorded.length} recorded requests with the text that was kept (fewer than ${opts.count}; no workspace files to top up from)` };
  return { cases: [...recorded, ...sampled], source: 'mixed', note: `${recorded.length} recorded requests with the text that was kept, topped up with ${sampled.length} ${spots} sampled from the workspace files` };
}

async function sampleDirs(dirs: readonly string[], count: number, o: { seed?: number | undefined; lineTokens?: ((line: string) => number) | undefined; cursor?: WorkspaceCursor | undefined }): Promise<ReplayCase[]> {
  if (count <= 0) return [];
  const { seed, lineTokens, cursor } = o;
  const perDir = await Promise.all(dirs.map((d) => sampleWorkspaceCases(d, { count, ...(seed !== undefined ? { seed } : {}), ...(lineTokens ? { lineTokens } : {}), ...(cursor ? { cursor } : {}) })));
  const cases: ReplayCase[] = [];
  for (let i = 0; cases.length < count && perDir.some((l) => i < l.length); i++) {
    perDir.forEach((list, d) => {
      const c = list[i];
      if (c && cases.length < count) cases.push(dirs.length > 1 ? { ...c, id: `${path.basename(dirs[d]!)}/${c.id}` } : c);
    });
  }
  return cases;
}
