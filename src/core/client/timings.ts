// DESIGN.md "Metrics", in one place: the same definitions as vLLM's own benchmark.
import type { TimingMarks, Timings, Usage } from './types';

export function computeTimings(marks: TimingMarks, usage: Usage | null): Timings {
  const timings: Timings = {};
  if (marks.firstChunk !== undefined) timings.ttftMs = marks.firstChunk - marks.t0;
  // E2E ends at the last chunk that carried text; a stream with no text at all falls
  // back to its last chunk, so a request that produced nothing still has an E2E.
  const end = marks.lastContent ?? marks.chunks[marks.chunks.length - 1];
  if (end !== undefined) timings.e2eMs = end - marks.t0;
  if (usage) {
    // Token counts only ever come from the server's usage: a chunk can carry several
    // tokens (or none), so counting chunks would be wrong.
    timings.outputTokens = usage.completionTokens;
    timings.promptTokens = usage.promptTokens;
  }
  const tokens = timings.outputTokens;
  const { ttftMs, e2eMs } = timings;
  if (tokens !== undefined && tokens >= 2 && ttftMs !== undefined && e2eMs !== undefined && e2eMs > ttftMs) {
    const decodeMs = e2eMs - ttftMs;
    timings.tpotMs = decodeMs / (tokens - 1);
    timings.decodeTokensPerSec = (tokens - 1) / (decodeMs / 1000);
  }
  return timings;
}
