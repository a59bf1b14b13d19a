// Seed-style GPU summaries for a time window (one completion, or one comparison run):
// VRAM idle / at first token / peak / std, utilisation mean and std. Memory is summed over
// the GPUs (a model may span several), utilisation averaged over them, unless one GPU is asked for.
import { mean, std } from '../stats/describe';
import type { GpuReading, GpuSample } from './types';

export interface GpuWindowSummary {
  samples: number;
  vramIdleMiB?: number;
  vramAtFirstTokenMiB?: number;
  vramPeakMiB?: number;
  vramStdMiB?: number;
  utilMeanPct?: number;
  utilStdPct?: number;
}

export interface GpuWindowOptions {
  t0: number;
  t1: number;
  firstTokenTs?: number;
  gpuIndex?: number;
}

function pickGpus(sample: GpuSample, gpuIndex?: number): GpuReading[] {
  return gpuIndex === undefined ? sample.gpus : sample.gpus.filter((g) => g.index === gpuIndex);
}

function memOf(sample: GpuSample, gpuIndex?: number): number | undefined {
  const vals = pickGpus(sample, gpuIndex).map((g) => g.memUsedMiB).filter((v): v is number => v !== null);
  return vals.length ? vals.reduce((a, b) => a + b, 0) : undefined;
}

function utilOf(sample: GpuSample, gpuIndex?: number): number | undefined {
  return mean(pickGpus(sample, gpuIndex).map((g) => g.utilGpuPct).filter((v): v is number => v !== null));
}

/**
 * `samples` ascending by ts (as samplesBetween gives them), may reach before t0: the last
 * sample at or before t0 is the idle reading (else the first in the window).
 */
export function summarizeGpuWindow(samples: readonly GpuSample[], opts: GpuWindowOptions): GpuWindowSummary {
  const inWindow = samples.filter((s) => s.ts >= opts.t0 && s.ts <= opts.t1);
  const before = samples.filter((s) => s.ts <= opts.t0);
  const idleSample = before.length ? before[before.length - 1] : inWindow[0];
  const mems = inWindow.map((s) => memOf(s, opts.gpuIndex)).filter((v): v is number => v !== undefined);
  const utils = inWindow.map((s) => utilOf(s, opts.gpuIndex)).filter((v): v is number => v !== undefined);
  const out: GpuWindowSummary = { samples: inWindow.length };
  const idle = idleSample && memOf(idleSample, opts.gpuIndex);
  if (idle !== undefined) out.vramIdleMiB = idle;
  if (opts.firstTokenTs !== undefined && samples.length) {
    // The sample nearest in time to the first token.
    let best = samples[0]!;
    for (const s of samples) if (Math.abs(s.ts - opts.firstTokenTs) < Math.abs(best.ts - opts.firstTokenTs)) best = s;
    const m = memOf(best, opts.gpuIndex);
    if (m !== undefined) out.vramAtFirstTokenMiB = m;
  }
  if (mems.length) {
    out.vramPeakMiB = Math.max(...mems);
    out.vramStdMiB = std(mems)!;
  }
  if (utils.length) {
    out.utilMeanPct = mean(utils)!;
    out.utilStdPct = std(utils)!;
  }
  return out;
}
