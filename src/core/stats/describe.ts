// Descriptive statistics over plain number arrays. Percentiles interpolate linearly between
// the two nearest ranks, exactly like numpy.percentile's default ("linear"), so numbers
// here match vLLM's benchmark scripts. Empty input gives undefined, never NaN.

export function mean(values: readonly number[]): number | undefined {
  if (!values.length) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population standard deviation (numpy.std's default, ddof = 0). */
export function std(values: readonly number[]): number | undefined {
  const m = mean(values);
  if (m === undefined) return undefined;
  let sq = 0;
  for (const v of values) sq += (v - m) * (v - m);
  return Math.sqrt(sq / values.length);
}

/** q in [0, 100]; `sorted` must be ascending (use percentileOf for unsorted input). */
export function percentileSorted(sorted: readonly number[], q: number): number | undefined {
  if (!sorted.length) return undefined;
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be within 0..100, got ${q}`);
  const pos = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function percentileOf(values: readonly number[], q: number): number | undefined {
  return percentileSorted([...values].sort((x, y) => x - y), q);
}

export interface Distribution {
  count: number;
  mean?: number;
  std?: number;
  min?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
}

/** count, mean, std, min, p50/p90/p99, max of the finite values given (others ignored). */
export function distribution(values: readonly (number | undefined | null)[]): Distribution {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const sorted = [...finite].sort((x, y) => x - y);
  if (!sorted.length) return { count: 0 };
  return {
    count: sorted.length,
    mean: mean(sorted)!,
    std: std(sorted)!,
    min: sorted[0]!,
    p50: percentileSorted(sorted, 50)!,
    p90: percentileSorted(sorted, 90)!,
    p99: percentileSorted(sorted, 99)!,
    max: sorted[sorted.length - 1]!,
  };
}
