// Completions the user can type through. When the characters typed since a request
// match the start of its completion, the rest is answered at once, with no new request
// (the server stays idle and the ghost text does not flicker). Bounded LRU. Keys come
// from cacheKey() (anchor + hash of the text around it), so the provider and the bench
// look entries up the same way, and a lookup costs the same in a 10-line or 100k-line file.
import { cacheKey, type CacheKey, type KeyWindow } from './cacheKey';

export interface CachedCompletion {
  /** Which document (the provider uses its URI). */
  scope: string;
  key: CacheKey;
  text: string;
  /** The record of the request that produced it. */
  recordId: string;
}

export interface CacheHit {
  entry: CachedCompletion;
  /** The part of the completion still to show. */
  remaining: string;
  /** How many of the completion's characters the user typed through. */
  typed: number;
}

export class CompletionCache {
  private readonly entries: CachedCompletion[] = [];

  constructor(private readonly capacity = 64) {}

  /** Remembers `completion`, made at `offset` of `text` with the model seeing `window` around it. */
  add(scope: string, text: string, offset: number, completion: string, recordId: string, window?: KeyWindow): void {
    const key = cacheKey(text, offset, offset, window);
    const i = this.entries.findIndex((e) => e.scope === scope && e.key.anchor === key.anchor && e.key.hash === key.hash);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.unshift({ scope, key, text: completion, recordId });
    if (this.entries.length > this.capacity) this.entries.length = this.capacity;
  }

  /**
   * Finds a completion that the cursor continues: the text between its anchor and the
   * cursor is the start of the completion, and the text around it is what it was.
   */
  lookup(scope: string, text: string, cursor: number): CacheHit | undefined {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      const typed = cursor - e.key.anchor;
      if (e.scope !== scope || typed < 0 || typed >= e.text.length) continue;
      if (text.slice(e.key.anchor, cursor) !== e.text.slice(0, typed)) continue;
      if (cacheKey(text, e.key.anchor, cursor, e.key).hash !== e.key.hash) continue;
      // Most recently used first.
      this.entries.splice(i, 1);
      this.entries.unshift(e);
      return { entry: e, remaining: e.text.slice(typed), typed };
    }
    return undefined;
  }

  clear(): void {
    this.entries.length = 0;
  }

  get size(): number {
    return this.entries.length;
  }
}
