// What activate() returns: a small read-only view for tests and other extensions.
import type { CompletionRecord } from '../core/store/record';
import type { MenuEntry } from './controls';

export interface CompletionLabApi {
  /** Every stored record (patches merged), after flushing pending writes. */
  records(): Promise<CompletionRecord[]>;
  /** The status bar item's text and tooltip as last drawn. */
  status(): { text: string; tooltip: string } | undefined;
  /** Requests that reached the server, completions answered from the typing-through cache, and calls declined because completions are off there. */
  counters(): { requests: number; cacheHits: number; declined: number };
  /** The entries the status bar menu would show now. */
  statusMenu(): MenuEntry[];
}
