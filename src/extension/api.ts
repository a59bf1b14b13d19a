// What activate() returns: a small read-only view for tests and other extensions.
import type { CompletionRecord } from '../core/store/record';
import type { HostTimingSnapshot } from './hostTiming';

export interface CompletionLabApi {
  /** Every stored record (patches merged), after flushing pending writes. */
  records(): Promise<CompletionRecord[]>;
  /** The status bar item's text and tooltip as last drawn. */
  status(): { text: string; tooltip: string } | undefined;
  /** Requests that reached the server, and completions answered from the typing-through cache. */
  counters(): { requests: number; cacheHits: number };
  /** Activation time and the longest event-loop block of the extension host since then. */
  hostTiming(): HostTimingSnapshot;
}
