// What activate() returns: a small read-only view for tests and other extensions.
import type { CompletionRecord } from '../core/store/record';

export interface CompletionLabApi {
  /** Every stored record (patches merged), after flushing pending writes. */
  records(): Promise<CompletionRecord[]>;
  /** The status bar item's text and tooltip as last drawn, and the commands its tooltip may run. */
  status(): { text: string; tooltip: string; enabledCommands: readonly string[] | boolean } | undefined;
  /** Requests that reached the server, and completions answered from the typing-through cache. */
  counters(): { requests: number; cacheHits: number };
  /** Whether this workspace's own model settings are in use: user-only, confirmed, or withheld (and why). */
  workspaceSettings(): { kind: 'user-only' | 'confirmed' | 'withheld'; why?: 'unconfirmed' | 'untrusted'; endpoints: string[] };
}
