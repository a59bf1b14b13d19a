// GPU numbers that belong to one model server (DESIGN.md "Per-model numbers"): its
// processes' own memory from the per-process snapshots, per GPU, and the card's
// utilisation only where the card runs that server's processes alone ("shared" otherwise:
// utilisation cannot be split per process). The card's own memory is kept beside it,
// labelled as the card's. With no per-process data the summary says why instead.
import { mean, std } from '../stats/describe';
import type { ProcessVramSnapshot } from './processVram';
import type { GpuWindowSummary } from './summary';
import type { GpuSample } from './types';

export interface ProcessMemory {
  /** GPU indices the processes hold memory on, ascending. */
  gpus: number[];
  /** Their memory summed over those GPUs. */
  memMiB: number;
  /** Whether every process on those GPUs is one of ours. */
  alone: boolean;
}

/** The processes' memory in one snapshot; undefined when none of them is on a GPU. */
export function processMemory(snapshot: ProcessVramSnapshot, pids: ReadonlySet<number>): ProcessMemory | undefined {
  const ours = snapshot.apps.filter((a) => pids.has(a.pid));
  if (!ours.length) return undefined;
  const gpus = [...new Set(ours.map((a) => a.gpuIndex))].sort((a, b) => a - b);
  const alone = snapshot.apps.every((a) => pids.has(a.pid) || !gpus.includes(a.gpuIndex));
  return { gpus, memMiB: ours.reduce((s, a) => s + (a.memMiB ?? 0), 0), alone };
}

/**
 * The seed-style numbers (VRAM idle / first token / peak / std) of the server's own
 * processes; utilisation only when its GPUs ran no other process during the window.
 */
export interface ModelGpuSummary extends Omit<GpuWindowSummary, 'samples'> {
  /** 'process': the numbers are the server's own processes'; 'none': see `reason`. */
  attribution: 'process' | 'none';
  reason?: string;
  pids?: number[];
  gpus?: number[];
  snapshots: number;
  /** True when another process shared its GPU(s): utilisation is the card's, not the model's. */
  utilShared?: boolean;
  /** The card(s) the model is on, over the same window: every process's memory together. */
  card?: { vramIdleMiB?: number; vramPeakMiB?: number; memTotalMiB?: number };
}

export interface ModelWindow {
  t0: number;
  t1: number;
  firstTokenTs?: number;
}

function nearest<T extends { ts: number }>(items: readonly T[], ts: number): T | undefined {
  let best: T | undefined;
  for (const s of items) if (!best || Math.abs(s.ts - ts) < Math.abs(best.ts - ts)) best = s;
  return best;
}

/**
 * `snapshots` as ProcessVramSource.between gives them (the last before t0 first, when any);
 * `cardSamples` from the GPU sampler over the same window (may be empty).
 */
export function summarizeModelGpu(snapshots: readonly ProcessVramSnapshot[], pids: readonly number[], window: ModelWindow, cardSamples: readonly GpuSample[] = []): ModelGpuSummary {
  const set = new Set(pids);
  // A window shorter than the poll interval may hold no reading: then the next one after it stands in.
  const within = snapshots.filter((s) => s.ts >= window.t0 && s.ts <= window.t1);
  const after = snapshots.find((s) => s.ts > window.t1);
  const inside = within.length || !after ? within : [after];
  const idleSnap = [...snapshots].reverse().find((s) => s.ts <= window.t0) ?? inside[0];
  const mems = inside.map((s) => processMemory(s, set)).filter((m): m is ProcessMemory => m !== undefined);
  const all = [...snapshots].map((s) => processMemory(s, set)).filter((m): m is ProcessMemory => m !== undefined);
  if (!all.length) {
    const reason = snapshots.length
      ? `nvidia-smi lists no GPU memory for the server's processes (PIDs ${pids.join(', ')}): in a container the GPU tool may not see their PIDs, or the server runs on the CPU.`
      : 'no per-process GPU readings were taken during this run.';
    return { attribution: 'none', reason, pids: [...pids], snapshots: inside.length };
  }
  const gpus = [...new Set(all.flatMap((m) => m.gpus))].sort((a, b) => a - b);
  const out: ModelGpuSummary = { attribution: 'process', pids: [...pids], gpus, snapshots: inside.length };
  const idle = idleSnap && processMemory(idleSnap, set);
  if (idle) out.vramIdleMiB = idle.memMiB;
  if (window.firstTokenTs !== undefined) {
    const at = nearest(snapshots, window.firstTokenTs);
    const m = at && processMemory(at, set);
    if (m) out.vramAtFirstTokenMiB = m.memMiB;
  }
  if (mems.length) {
    out.vramPeakMiB = Math.max(...mems.map((m) => m.memMiB));
    out.vramStdMiB = std(mems.map((m) => m.memMiB))!;
  }
  const cardInside = cardSamples.filter((s) => s.ts >= window.t0 && s.ts <= window.t1);
  const onOurs = (s: GpuSample) => s.gpus.filter((g) => gpus.includes(g.index));
  const cardMem = (s: GpuSample) => onOurs(s).reduce((sum, g) => sum + (g.memUsedMiB ?? 0), 0);
  if (cardInside.length) {
    const cardIdle = [...cardSamples].reverse().find((s) => s.ts <= window.t0) ?? cardInside[0]!;
    const total = onOurs(cardIdle).reduce((sum, g) => sum + (g.memTotalMiB ?? 0), 0);
    out.card = { vramIdleMiB: cardMem(cardIdle), vramPeakMiB: Math.max(...cardInside.map(cardMem)), ...(total ? { memTotalMiB: total } : {}) };
    const alone = mems.length > 0 && mems.every((m) => m.alone);
    if (alone) {
      const utils = cardInside.map((s) => mean(onOurs(s).map((g) => g.utilGpuPct).filter((v): v is number => v !== null))).filter((v): v is number => v !== undefined);
      if (utils.length) {
        out.utilMeanPct = mean(utils)!;
        out.utilStdPct = std(utils)!;
      }
    } else out.utilShared = true;
  }
  return out;
}

export type ServingGpu =
  | { kind: 'process'; gpus: number[]; memMiB: number; alone: boolean }
  | { kind: 'none'; reason: string };

/**
 * The status bar's "serving GPU": the GPU(s) the endpoint's server processes are on, from
 * the latest per-process snapshot. `pids` from findServerProcesses.
 */
export function servingGpu(snapshot: ProcessVramSnapshot | undefined, pids: readonly number[]): ServingGpu {
  if (!snapshot) return { kind: 'none', reason: 'no per-process GPU reading yet.' };
  const m = processMemory(snapshot, new Set(pids));
  if (!m) return { kind: 'none', reason: `no GPU memory listed for the server's processes (PIDs ${pids.join(', ')}).` };
  return { kind: 'process', ...m };
}
