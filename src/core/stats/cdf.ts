// The empirical distribution function of a set of numbers (a TTFT CDF): for each value v,
// the share of values <= v. Drawn as a step line, it shows a whole distribution where a
// table shows three percentiles. Pure; thinned to a bounded number of points so a chart
// of thousands of requests stays cheap.

export interface CdfPoint {
  /** The value (ms for TTFT). */
  x: number;
  /** Share of the values at or below x, in (0, 1]. */
  p: number;
}

/**
 * One point per distinct value (the highest share for repeated values), ascending; when
 * there are more than `maxPoints`, evenly spaced ranks are kept, always with the first
 * and the last (p = 1). Non-finite values are ignored; no values: [].
 */
export function empiricalCdf(values: readonly (number | undefined | null)[], maxPoints = 200): CdfPoint[] {
  const sorted = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const points: CdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    // A repeated value is one step: only its last rank counts.
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    points.push({ x: sorted[i]!, p: (i + 1) / n });
  }
  const limit = Math.max(2, Math.floor(maxPoints));
  if (points.length <= limit) return points;
  const out: CdfPoint[] = [];
  for (let k = 0; k < limit; k++) out.push(points[Math.round((k * (points.length - 1)) / (limit - 1))]!);
  return out;
}
