// Whether one profile's quality really differs from another's on the same cases, or the gap
// is what chance gives at this many cases. Two small models 4 exact answers apart at 300
// cases (7 % against 5.7 %) are not told apart by the data; a report that only names a
// winner says otherwise. The tests are paired, because both profiles answered the same
// cases: McNemar's exact test on the cases only one of them got exactly right, and a paired
// bootstrap interval for the mean difference in first-line edit similarity.
import { mulberry32 } from '../random';

/** The 95 % Wilson score interval of a proportion k/n (sound at small n and near 0 or 1). */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * McNemar's exact two-sided p-value: `b` cases only the first got right, `c` only the second.
 * Under "no difference" each such case is a fair coin, so p = P(a split at least this uneven).
 */
export function mcnemarExactP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum of C(n, i) / 2^n for i <= k, in logs so that large n does not overflow.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** A 95 % percentile-bootstrap interval for the mean of paired differences (seeded: the same on every run). */
export function bootstrapMeanInterval(diffs: readonly number[], iterations = 2000, seed = 1): [number, number] | undefined {
  const n = diffs.length;
  if (n < 2) return undefined;
  const rand = mulberry32(seed);
  const means: number[] = [];
  for (let it = 0; it < iterations; it++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(rand() * n)]!;
    means.push(sum / n);
  }
  means.sort((x, y) => x - y);
  return [means[Math.floor(0.025 * (iterations - 1))]!, means[Math.ceil(0.975 * (iterations - 1))]!];
}

export interface PairedCase {
  caseId: string;
  exact: boolean;
  editSimFirstLine: number;
}

export interface PairedQuality {
  /** Cases both profiles answered and were scored on. */
  cases: number;
  exactA: number;
  exactB: number;
  exactIntervalA: [number, number];
  exactIntervalB: [number, number];
  /** Cases only A got exactly right, and only B. */
  onlyA: number;
  onlyB: number;
  exactP: number;
  /** Mean of A's first-line edit similarity minus B's, with its 95 % bootstrap interval. */
  editSimDiff: number;
  editSimInterval?: [number, number];
}

/** A against B on the cases both were scored on (matched by case id). */
export function pairedQuality(a: readonly PairedCase[], b: readonly PairedCase[]): PairedQuality | undefined {
  const byId = new Map(b.map((x) => [x.caseId, x]));
  const pairs = a.flatMap((x) => {
    const y = byId.get(x.caseId);
    return y ? [[x, y] as const] : [];
  });
  const n = pairs.length;
  if (!n) return undefined;
  const exactA = pairs.filter(([x]) => x.exact).length;
  const exactB = pairs.filter(([, y]) => y.exact).length;
  const onlyA = pairs.filter(([x, y]) => x.exact && !y.exact).length;
  const onlyB = pairs.filter(([x, y]) => !x.exact && y.exact).length;
  const diffs = pairs.map(([x, y]) => x.editSimFirstLine - y.editSimFirstLine);
  const interval = bootstrapMeanInterval(diffs);
  return {
    cases: n,
    exactA,
    exactB,
    exactIntervalA: wilsonInterval(exactA, n),
    exactIntervalB: wilsonInterval(exactB, n),
    onlyA,
    onlyB,
    exactP: mcnemarExactP(onlyA, onlyB),
    editSimDiff: diffs.reduce((s, d) => s + d, 0) / n,
    ...(interval ? { editSimInterval: interval } : {}),
  };
}
