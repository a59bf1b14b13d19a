// Pure parsers for nvidia-smi's CSV query output (`--query-gpu`, `--query-compute-apps`).
// Both `--format=csv,noheader,nounits` (what the sampler asks for) and the human format
// with a header line and units (`0 %`, `143771 MiB`, `125.82 W`) are read; `[N/A]` and
// `[Not Supported]` become null. Real outputs: test/fixtures/nvidia-smi/.
import * as l10n from '@vscode/l10n';
import type { GpuProcess, GpuReading } from './types';

/** The fields the sampler queries, in this order (same as fixtures/nvidia-smi/QUERY.txt). */
export const GPU_QUERY_FIELDS = [
  'index',
  'name',
  'uuid',
  'driver_version',
  'pstate',
  'temperature.gpu',
  'utilization.gpu',
  'utilization.memory',
  'memory.total',
  'memory.used',
  'memory.free',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
] as const;

export const APPS_QUERY_FIELDS = ['pid', 'process_name', 'used_memory'] as const;

export function gpuQueryArgs(fields: readonly string[] = GPU_QUERY_FIELDS, loopMs?: number): string[] {
  const args = [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'];
  if (loopMs !== undefined) args.push('-lms', String(loopMs));
  return args;
}

export function appsQueryArgs(): string[] {
  return [`--query-compute-apps=${APPS_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
}

/** The header spells some fields differently from the query (`clocks.sm` prints as `clocks.current.sm`). */
const FIELD_ALIASES: Record<string, string> = {
  'clocks.current.sm': 'clocks.sm',
  'clocks.current.memory': 'clocks.mem',
  'clocks.current.mem': 'clocks.mem',
  'clocks.memory': 'clocks.mem',
  'gpu_name': 'name',
  'gpu_uuid': 'uuid',
  'used_gpu_memory': 'used_memory',
};

function canonicalField(headerCell: string): string {
  // The unit in brackets at the end (`memory.used [MiB]`) goes; cut by index, not a regex
  // (one with \s* on both sides of the brackets backtracks on long runs of spaces).
  const cell = headerCell.trim();
  const open = cell.endsWith(']') ? cell.lastIndexOf('[') : -1;
  const name = (open >= 0 ? cell.slice(0, open) : cell).trim().toLowerCase();
  return FIELD_ALIASES[name] ?? name;
}

/** nvidia-smi's way of saying "no value": `[N/A]`, `N/A`, `[Not Supported]`, `[Unknown Error]`, ... */
export function isMissing(raw: string): boolean {
  const v = raw.trim();
  return v === '' || /^\[.*\]$/.test(v) || /^(n\/a|not supported|unknown error|insufficient permissions)$/i.test(v);
}

/** A number, with any unit suffix (`%`, `MiB`, `W`, `MHz`) dropped; null where nvidia-smi had none. */
export function parseNumber(raw: string | undefined): number | null {
  if (raw === undefined || isMissing(raw)) return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*(?:%|MiB|MB|GiB|W|MHz|C)?$/.exec(raw.trim());
  return m ? Number(m[1]) : null;
}

/** `2026/11/22 02:45:44.731` (local time, as nvidia-smi prints it) to epoch ms. */
export function parseNvidiaTimestamp(raw: string): number | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, ms ? +ms.padEnd(3, '0') : 0).getTime();
}

export interface NvidiaGpuRow {
  reading: GpuReading;
  /** From the `timestamp` field when it was queried. */
  ts?: number;
  uuid?: string;
  /** Every field as printed, by (canonical) field name. */
  raw: Record<string, string>;
}

/** The rc-2 answer to an unknown field: `Field "x" is not a valid field to query.` */
export class NvidiaSmiFieldError extends Error {
  constructor(readonly field: string) {
    super(l10n.t('nvidia-smi does not know the field "{0}" (this driver\'s nvidia-smi rejects it). Run `nvidia-smi --help-query-gpu` on that machine to see the fields it supports.', field));
    this.name = 'NvidiaSmiFieldError';
  }
}

/** Recognises nvidia-smi's invalid-field message (printed with exit code 2); null otherwise. */
export function detectInvalidField(text: string): NvidiaSmiFieldError | null {
  const m = /Field "([^"]*)" is not a valid field to query/.exec(text);
  return m ? new NvidiaSmiFieldError(m[1]!) : null;
}

function splitCsv(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

function isHeader(cells: string[]): boolean {
  return cells.some((c) => /^(index|name|uuid|pid|timestamp)$/i.test(canonicalField(c))) && !cells.some((c) => /^\d/.test(c));
}

/** One CSV line of `--query-gpu` output for the given fields; null for a blank or unreadable line. */
export function parseGpuLine(line: string, fields: readonly string[] = GPU_QUERY_FIELDS): NvidiaGpuRow | null {
  if (!line.trim()) return null;
  const cells = splitCsv(line);
  if (cells.length < fields.length) return null;
  // A GPU name may contain a comma: keep the extra cells with the name.
  if (cells.length > fields.length) {
    const nameAt = fields.indexOf('name');
    if (nameAt < 0) return null;
    const extra = cells.length - fields.length;
    cells.splice(nameAt, extra + 1, cells.slice(nameAt, nameAt + extra + 1).join(', '));
  }
  const raw: Record<string, string> = {};
  fields.forEach((f, i) => (raw[canonicalField(f)] = cells[i]!));
  const index = parseNumber(raw['index']);
  if (index === null && 'index' in raw) return null;
  const text = (v: string | undefined) => (v === undefined || isMissing(v) ? null : v);
  const reading: GpuReading = {
    index: index ?? 0,
    name: text(raw['name']),
    utilGpuPct: parseNumber(raw['utilization.gpu']),
    utilMemPct: parseNumber(raw['utilization.memory']),
    memUsedMiB: parseNumber(raw['memory.used']),
    memTotalMiB: parseNumber(raw['memory.total']),
    powerW: parseNumber(raw['power.draw']),
    tempC: parseNumber(raw['temperature.gpu']),
    smClockMHz: parseNumber(raw['clocks.sm']),
  };
  const row: NvidiaGpuRow = { reading, raw };
  if (raw['timestamp'] !== undefined) {
    const ts = parseNvidiaTimestamp(raw['timestamp']);
    if (ts !== null) row.ts = ts;
  }
  const uuid = text(raw['uuid']);
  if (uuid) row.uuid = uuid;
  return row;
}

/**
 * Whole `--query-gpu` output. With a header line (`--format=csv`) the fields come from
 * it, otherwise from `fields`. Throws NvidiaSmiFieldError for the rc-2 invalid-field text.
 */
export function parseGpuCsv(text: string, fields: readonly string[] = GPU_QUERY_FIELDS): NvidiaGpuRow[] {
  const invalid = detectInvalidField(text);
  if (invalid) throw invalid;
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  let useFields: readonly string[] = fields;
  if (lines.length && isHeader(splitCsv(lines[0]!))) useFields = splitCsv(lines.shift()!).map(canonicalField);
  return lines.map((l) => parseGpuLine(l, useFields)).filter((r): r is NvidiaGpuRow => r !== null);
}

/** `--query-compute-apps=pid,process_name,used_memory` output; empty output means no process. */
export function parseComputeApps(text: string): GpuProcess[] {
  const invalid = detectInvalidField(text);
  if (invalid) throw invalid;
  const out: GpuProcess[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cells = splitCsv(line);
    if (cells.length < 3 || /^pid$/i.test(cells[0]!)) continue; // header line of `--format=csv`
    const pid = parseNumber(cells[0]);
    if (pid === null) continue;
    // A process name may contain commas: everything between pid and memory is the name.
    out.push({ pid, name: cells.slice(1, -1).join(', '), memMiB: parseNumber(cells[cells.length - 1]) });
  }
  return out;
}
