// One record per completion request the editor made (cancelled and failed ones too).
// Written as one JSON line each; the schema version lets later readers migrate.
import type { Timings } from '../client/types';

export type Outcome =
  | 'pending'
  | 'shown'
  | 'accepted'
  | 'partial'
  | 'rejected'
  | 'superseded'
  | 'cancelled'
  | 'empty'
  | 'failed';

export interface CompletionRecord {
  /** 2: the client's timings in one field; lines of 1 had them flat and are upgraded on read. */
  v: 1 | 2;
  kind: 'completion';
  id: string;
  /** Epoch ms when the request was started. */
  ts: number;
  profile: string;
  model: string;
  endpoint: string;
  template: string;
  languageId: string;
  /** sha256 of the workspace-relative path, first 16 hex chars. */
  pathHash: string;
  /** Prompt as sent (only when recording is on; else omitted). */
  prefix?: string | undefined;
  suffix?: string | undefined;
  promptTokens?: number | undefined;
  /** ms from the keystroke (document change) to the request start: the debounce. */
  keystrokeToRequestMs?: number | undefined;
  /** The wait chosen after the keystroke (adaptive debounce: longer while typing fast). */
  debounceMs?: number | undefined;
  /** As the client measured them (DESIGN.md "Metrics"); absent when the request failed first. */
  timings?: Timings | undefined;
  /** ms from request start to ghost text handed to the editor. */
  timeToShownMs?: number | undefined;
  /** ms from the keystroke to ghost text handed to the editor: what the developer waits. */
  keystrokeToShownMs?: number | undefined;
  /** Text shown as ghost text (after post-processing). */
  shownText?: string | undefined;
  outcome: Outcome;
  acceptedChars?: number | undefined;
  /** Tokens the server produced after we cancelled (from /metrics where known). */
  tokensAfterCancel?: number | undefined;
  error?: string | undefined;
  /** Text found at the spot some seconds later: the ground truth for quality. */
  keptText?: string | undefined;
  /** GPU stats joined by time (filled when a sampler was running). */
  gpu?: { vramAtFirstTokenMiB?: number | undefined; vramPeakMiB?: number | undefined; utilMeanPct?: number | undefined };
}

/** The timing fields schema 1 kept flat on the record. */
const FLAT_TIMINGS = ['ttftMs', 'e2eMs', 'tpotMs', 'decodeTokensPerSec', 'outputTokens'] as const;

/** A record as read from disk, in today's shape: recorded data is never lost to a schema change. */
export function upgradeRecord(raw: Record<string, unknown>): CompletionRecord {
  if (raw['v'] !== 1) return raw as unknown as CompletionRecord;
  const out: Record<string, unknown> = { ...raw, v: 2 };
  const timings: Timings = {};
  for (const k of FLAT_TIMINGS) {
    const value = out[k];
    delete out[k];
    if (typeof value === 'number') timings[k] = value;
  }
  if (Object.keys(timings).length) out['timings'] = timings;
  return out as unknown as CompletionRecord;
}

/**
 * The fields a patch line may set. Patches are merged field by field from this list only:
 * a line carrying `__proto__` or `constructor` (a hand-edited or hostile file) must not
 * reach Object.assign, which would change the record's prototype.
 */
export const PATCHABLE_FIELDS = [
  'ts', 'profile', 'model', 'endpoint', 'template', 'languageId', 'pathHash', 'prefix', 'suffix', 'promptTokens',
  'keystrokeToRequestMs', 'timings', 'timeToShownMs',
  'shownText', 'outcome', 'acceptedChars', 'tokensAfterCancel', 'error', 'keptText', 'gpu',
] as const satisfies readonly (keyof CompletionRecord)[];
