// NVIDIA DCGM exporter series, as Prometheus holds them, turned into the GPU sampler's shapes
// (GpuReading / GpuSample), one reading per GPU. The exporter's metric names are
// etc/default-counters.csv of github.com/NVIDIA/dcgm-exporter; each series carries `gpu`
// (index on its host), `UUID`, `modelName`, `Hostname` (`hostname` since exporter 4.5) and,
// with its Kubernetes mapping on, the `pod`/`namespace`/`container` using the GPU.
import type { GpuReading, GpuSample } from '../gpu/types';
import type { Labels } from './client';

export const DCGM = {
  util: 'DCGM_FI_DEV_GPU_UTIL',
  memCopyUtil: 'DCGM_FI_DEV_MEM_COPY_UTIL',
  fbUsed: 'DCGM_FI_DEV_FB_USED',
  fbFree: 'DCGM_FI_DEV_FB_FREE',
  power: 'DCGM_FI_DEV_POWER_USAGE',
  temp: 'DCGM_FI_DEV_GPU_TEMP',
  smClock: 'DCGM_FI_DEV_SM_CLOCK',
} as const;

export const DCGM_NAMES: readonly string[] = Object.values(DCGM);

/** A GPU reading with where the GPU is: a fleet has many hosts, each with its GPU 0. */
export interface FleetGpuReading extends GpuReading {
  uuid?: string;
  hostname?: string;
  /** The scrape target that exported it (Prometheus' `instance`). */
  instance?: string;
  pod?: string;
  namespace?: string;
}

export interface FleetGpuSample extends GpuSample {
  gpus: FleetGpuReading[];
}

/** One DCGM value: its metric name, labels and value. */
export interface DcgmValue {
  name: string;
  labels: Labels;
  value: number;
}

/** Whether a series carries the labels that say which GPU it is. */
export function hasGpuLabels(labels: Labels): boolean {
  return labels['UUID'] !== undefined || labels['gpu'] !== undefined;
}

/** One GPU per UUID (else per exporter + index). Values the exporter could not read are null. */
export function gpuReadings(values: readonly DcgmValue[]): FleetGpuReading[] {
  const byGpu = new Map<string, { r: FleetGpuReading; free: number | null }>();
  for (const v of values) {
    if (!hasGpuLabels(v.labels)) continue;
    const l = v.labels;
    const key = l['UUID'] ?? `${l['instance'] ?? ''}/${l['Hostname'] ?? l['hostname'] ?? ''}/${l['gpu']}`;
    let entry = byGpu.get(key);
    if (!entry) {
      const r: FleetGpuReading = { index: Number(l['gpu'] ?? NaN), name: l['modelName'] ?? null, utilGpuPct: null, utilMemPct: null, memUsedMiB: null, memTotalMiB: null, powerW: null, tempC: null, smClockMHz: null };
      const host = l['Hostname'] ?? l['hostname'];
      if (l['UUID'] !== undefined) r.uuid = l['UUID'];
      if (host !== undefined) r.hostname = host;
      if (l['instance'] !== undefined) r.instance = l['instance'];
      if (l['pod'] !== undefined) r.pod = l['pod'];
      if (l['namespace'] !== undefined) r.namespace = l['namespace'];
      entry = { r, free: null };
      byGpu.set(key, entry);
    }
    const value = Number.isFinite(v.value) ? v.value : null;
    const r = entry.r;
    if (v.name === DCGM.util) r.utilGpuPct = value;
    else if (v.name === DCGM.memCopyUtil) r.utilMemPct = value;
    else if (v.name === DCGM.fbUsed) r.memUsedMiB = value;
    else if (v.name === DCGM.fbFree) entry.free = value;
    else if (v.name === DCGM.power) r.powerW = value;
    else if (v.name === DCGM.temp) r.tempC = value;
    else if (v.name === DCGM.smClock) r.smClockMHz = value;
  }
  const out: FleetGpuReading[] = [];
  for (const { r, free } of byGpu.values()) {
    // DCGM has no "total" field in its default set: total = used + free (FB_RESERVED aside).
    if (r.memUsedMiB !== null && free !== null) r.memTotalMiB = r.memUsedMiB + free;
    out.push(r);
  }
  return out.sort((a, b) => (a.hostname ?? a.instance ?? '').localeCompare(b.hostname ?? b.instance ?? '') || a.index - b.index);
}

/** Fleet totals of one sample: VRAM and power summed over GPUs, utilisation averaged. */
export function gpuTotals(gpus: readonly GpuReading[]): { utilMeanPct?: number; memUsedMiB?: number; memTotalMiB?: number; powerW?: number } {
  const vals = (f: (g: GpuReading) => number | null) => gpus.map(f).filter((v): v is number => v !== null);
  const sum = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) : undefined);
  const util = vals((g) => g.utilGpuPct);
  const out: ReturnType<typeof gpuTotals> = {};
  if (util.length) out.utilMeanPct = util.reduce((a, b) => a + b, 0) / util.length;
  const used = sum(vals((g) => g.memUsedMiB));
  const total = sum(vals((g) => g.memTotalMiB));
  const power = sum(vals((g) => g.powerW));
  if (used !== undefined) out.memUsedMiB = used;
  if (total !== undefined) out.memTotalMiB = total;
  if (power !== undefined) out.powerW = power;
  return out;
}
