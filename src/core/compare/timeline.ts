// One profile's run over time, for the panel's chart: the card's memory and utilisation and
// the model server's own memory as sampled during the run, and every request's start, first
// token and end, all in ms from the run's start. Kept in the report (bounded in size) so a
// saved comparison draws the same picture after a restart.
import { mean } from '../stats/describe';
import { processMemory } from '../gpu/attribution';
import type { ProcessVramSnapshot } from '../gpu/processVram';
import type { GpuSample } from '../gpu/types';

export interface TimelinePoint {
  /** ms since the run's start. */
  t: number;
  /** The card(s)' used memory: every process on them. */
  cardVramMiB?: number;
  /** The model server's own processes' memory (per-process data only). */
  modelVramMiB?: number;
  /** The card(s)' utilisation (the model's only when its card ran nothing else). */
  utilPct?: number;
}

export interface TimelineRequest {
  /** ms since the run's start. */
  start: number;
  firstToken?: number;
  end?: number;
  concurrency: number;
  ok: boolean;
}

export interface ProfileTimeline {
  durationMs: number;
  /** The GPUs the card numbers are from (the model's, when known; else every GPU). */
  gpus?: number[];
  points: TimelinePoint[];
  requests: TimelineRequest[];
}

export interface TimelineInput {
  t0: number;
  t1: number;
  cardSamples?: readonly GpuSample[];
  snapshots?: readonly ProcessVramSnapshot[];
  pids?: readonly number[];
  /** The model's GPUs: the card numbers are read on these only. */
  gpus?: readonly number[];
  requests: readonly { startedAt: number; status: string; ttftMs?: number | undefined; e2eMs?: number | undefined; concurrency: number }[];
}

/** Points kept at most (a 10-minute run sampled every 250 ms has 2400). */
export const TIMELINE_MAX_POINTS = 600;
export const TIMELINE_MAX_REQUESTS = 2000;

/** Every `stride`-th item, so at most `max` remain, the last one always kept. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const stride = Math.ceil(items.length / max);
  const out = items.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== items[items.length - 1]) out[out.length - 1] = items[items.length - 1]!;
  return out;
}

export function profileTimeline(input: TimelineInput): ProfileTimeline {
  const { t0, t1 } = input;
  const inside = (ts: number): boolean => ts >= t0 && ts <= t1;
  const rel = (ts: number): number => Math.round(ts - t0);
  const points: TimelinePoint[] = [];
  for (const s of input.cardSamples ?? []) {
    if (!inside(s.ts)) continue;
    const gpus = input.gpus?.length ? s.gpus.filter((g) => input.gpus!.includes(g.index)) : s.gpus;
    const mem = gpus.map((g) => g.memUsedMiB).filter((v): v is number => v !== null);
    const util = mean(gpus.map((g) => g.utilGpuPct).filter((v): v is number => v !== null));
    const p: TimelinePoint = { t: rel(s.ts) };
    if (mem.length) p.cardVramMiB = mem.reduce((a, b) => a + b, 0);
    if (util !== undefined) p.utilPct = util;
    points.push(p);
  }
  if (input.pids?.length) {
    const pids = new Set(input.pids);
    for (const s of input.snapshots ?? []) {
      const m = inside(s.ts) ? processMemory(s, pids) : undefined;
      if (m) points.push({ t: rel(s.ts), modelVramMiB: m.memMiB });
    }
  }
  points.sort((a, b) => a.t - b.t);
  const requests = input.requests.map((r): TimelineRequest => {
    const out: TimelineRequest = { start: rel(r.startedAt), concurrency: r.concurrency, ok: r.status === 'ok' };
    if (r.ttftMs !== undefined) out.firstToken = rel(r.startedAt + r.ttftMs);
    if (r.e2eMs !== undefined) out.end = rel(r.startedAt + r.e2eMs);
    return out;
  });
  const out: ProfileTimeline = { durationMs: Math.max(0, Math.round(t1 - t0)), points: thin(points, TIMELINE_MAX_POINTS), requests: thin(requests, TIMELINE_MAX_REQUESTS) };
  if (input.gpus?.length) out.gpus = [...input.gpus];
  return out;
}
