// TTFT by prompt length, as the published comparisons report it: short | medium | long by
// prompt tokens (default < 256, 256-1024, > 1024; the bounds are a setting). Prefill time
// grows with the prompt, so one TTFT number over mixed lengths hides what a user will feel.
import { distribution } from '../stats/describe';

/** [short below this, long above this] in prompt tokens. */
export type LengthBounds = readonly [number, number];
export const DEFAULT_LENGTH_BOUNDS: LengthBounds = [256, 1024];

export type LengthClassName = 'short' | 'medium' | 'long';
export const LENGTH_CLASSES: readonly LengthClassName[] = ['short', 'medium', 'long'];

export function lengthClassOf(promptTokens: number, bounds: LengthBounds = DEFAULT_LENGTH_BOUNDS): LengthClassName {
  if (promptTokens < bounds[0]) return 'short';
  return promptTokens <= bounds[1] ? 'medium' : 'long';
}

export interface LengthClassResult {
  name: LengthClassName;
  /** Prompt tokens, inclusive; maxTokens absent for "long". */
  minTokens: number;
  maxTokens?: number;
  count: number;
  ttftMeanMs?: number;
  ttftStdMs?: number;
  ttftP50Ms?: number;
}

/** Checks user-given bounds: two whole numbers, 0 < short < long. */
export function validateLengthBounds(bounds: readonly number[]): LengthBounds {
  const [a, b] = bounds;
  if (bounds.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b) || a! < 1 || b! <= a!) {
    throw new Error(`length bounds must be two whole numbers, short below the first, long above the second (e.g. 256,1024); got ${bounds.join(',')}.`);
  }
  return [a!, b!];
}

/** Count and TTFT mean / std / p50 per class, over requests that have both numbers. */
export function lengthClasses(requests: readonly { promptTokens?: number; ttftMs?: number; status: string }[], bounds: LengthBounds = DEFAULT_LENGTH_BOUNDS): LengthClassResult[] {
  return LENGTH_CLASSES.map((name) => {
    const ttfts = requests.filter((r) => r.status === 'ok' && r.promptTokens !== undefined && r.ttftMs !== undefined && lengthClassOf(r.promptTokens, bounds) === name).map((r) => r.ttftMs!);
    const d = distribution(ttfts);
    const out: LengthClassResult = { name, minTokens: name === 'short' ? 0 : name === 'medium' ? bounds[0] : bounds[1] + 1, count: d.count };
    if (name !== 'long') out.maxTokens = name === 'short' ? bounds[0] - 1 : bounds[1];
    if (d.mean !== undefined) out.ttftMeanMs = d.mean;
    if (d.std !== undefined) out.ttftStdMs = d.std;
    if (d.p50 !== undefined) out.ttftP50Ms = d.p50;
    return out;
  });
}
