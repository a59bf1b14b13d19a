// Per-process GPU memory, per GPU: `nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory`
// joined to `--query-gpu=index,uuid` (one --query-* per call, so two calls; the uuid table
// is read once per poller). A poller keeps a timeline of these snapshots while someone holds
// it, so a comparison can attribute memory to the processes of one model server.
import { execFile } from 'node:child_process';
import { findOnPath } from './findTool';
import { parseGpuCsv } from './nvidiaSmi';
import type { Disposable } from './types';

export const PROCESS_VRAM_FIELDS = ['pid', 'gpu_uuid', 'used_memory'] as const;

export interface GpuApp {
  pid: number;
  /** -1 when the uuid is not in the index table (should not happen on one machine). */
  gpuIndex: number;
  gpuUuid: string;
  memMiB: number | null;
}

export interface ProcessVramSnapshot {
  ts: number;
  apps: GpuApp[];
}

/** `--query-gpu=index,uuid` output as uuid -> index. */
export function parseGpuIndexTable(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of parseGpuCsv(text, ['index', 'uuid'])) if (row.uuid) out.set(row.uuid, row.reading.index);
  return out;
}

/** `--query-compute-apps=pid,gpu_uuid,used_memory` output joined to the index table. */
export function parseProcessVram(text: string, indexOf: ReadonlyMap<string, number>): GpuApp[] {
  const out: GpuApp[] = [];
  for (const row of parseGpuCsv(text, PROCESS_VRAM_FIELDS)) {
    const pid = Number(row.raw['pid']);
    const uuid = row.uuid;
    if (!Number.isInteger(pid) || !uuid) continue;
    const mem = Number(row.raw['used_memory']);
    out.push({ pid, gpuIndex: indexOf.get(uuid) ?? -1, gpuUuid: uuid, memMiB: Number.isFinite(mem) && row.raw['used_memory'] !== '' ? mem : null });
  }
  return out;
}

/** What the runner and the status bar need of a per-process VRAM source. */
export interface ProcessVramSource {
  acquire(): Disposable;
  /** Snapshots with ts in [t0, t1], plus the last one before t0 (the idle reading) and the first after t1. */
  between(t0: number, t1: number): ProcessVramSnapshot[];
  /** Resolves once a snapshot after `ts` exists (bounded), so a short window gets a reading. */
  after?(ts: number, timeoutMs?: number): Promise<void>;
  latest(): ProcessVramSnapshot | undefined;
  /** Why there is no data (no nvidia-smi, it failed), once known. */
  readonly problem: string | undefined;
}

export interface ProcessVramPollerOptions {
  /** Default 500 ms: one short nvidia-smi call (~30 ms) per poll, only while held. */
  intervalMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Snapshots kept. Default 3600. */
  historySize?: number;
}

function run(exe: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(exe, args, { env, timeout: 10_000 }, (err, stdout) => (err ? reject(new Error(`${exe} ${args[0]}: ${err.message.split('\n')[0]}`)) : resolve(stdout)));
  });
}

/** Polls nvidia-smi's per-process memory while at least one holder holds it. */
export class ProcessVramPoller implements ProcessVramSource {
  private readonly intervalMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly historySize: number;
  private readonly snapshots: ProcessVramSnapshot[] = [];
  private holders = 0;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private indexTable: Map<string, number> | undefined;
  problem: string | undefined;

  constructor(opts: ProcessVramPollerOptions = {}) {
    this.intervalMs = Math.max(100, opts.intervalMs ?? 500);
    this.env = opts.env ?? process.env;
    this.historySize = opts.historySize ?? 3600;
  }

  acquire(): Disposable {
    if (this.holders++ === 0) this.start();
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        if (--this.holders === 0) this.stop();
      },
    };
  }

  latest(): ProcessVramSnapshot | undefined {
    return this.snapshots[this.snapshots.length - 1];
  }

  between(t0: number, t1: number): ProcessVramSnapshot[] {
    const before = this.snapshots.filter((s) => s.ts < t0);
    const inside = this.snapshots.filter((s) => s.ts >= t0 && s.ts <= t1);
    const after = this.snapshots.find((s) => s.ts > t1);
    return [...(before.length ? [before[before.length - 1]!] : []), ...inside, ...(after ? [after] : [])];
  }

  /** Waits (at most `timeoutMs`) for a snapshot taken after `ts`: a short window's closing reading. */
  async after(ts: number, timeoutMs = 3000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(this.latest() && this.latest()!.ts > ts) && this.problem === undefined && this.holders > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  }

  /** Resolves once a first snapshot exists or the poller knows it cannot make one (at most `timeoutMs`). */
  async ready(timeoutMs = 3000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.latest() && this.problem === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  }

  private start(): void {
    const gen = ++this.generation;
    const exe = findOnPath('nvidia-smi', this.env);
    if (!exe) {
      this.problem = 'nvidia-smi is not on PATH: no per-process GPU memory.';
      return;
    }
    this.problem = undefined;
    void this.poll(gen, exe);
  }

  private stop(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(gen: number, exe: string): Promise<void> {
    const ts = Date.now();
    try {
      this.indexTable ??= parseGpuIndexTable(await run(exe, ['--query-gpu=index,uuid', '--format=csv,noheader,nounits'], this.env));
      const apps = parseProcessVram(await run(exe, [`--query-compute-apps=${PROCESS_VRAM_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], this.env), this.indexTable);
      if (gen !== this.generation) return;
      this.snapshots.push({ ts, apps });
      if (this.snapshots.length > this.historySize) this.snapshots.shift();
    } catch (err) {
      if (gen !== this.generation) return;
      this.problem = `${(err as Error).message}: no per-process GPU memory.`;
      return; // a broken tool stays broken for this run; the card's numbers still come from the sampler
    }
    this.timer = setTimeout(() => void this.poll(gen, exe), Math.max(0, this.intervalMs - (Date.now() - ts)));
  }
}
