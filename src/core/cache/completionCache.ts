// Completions the user can type through. When the characters typed since a request
// match the start of its completion, the rest is answered at once, with no new request
// (the server stays idle and the ghost text does not flicker). Bounded LRU.

export interface CachedCompletion {
  /** Document text before the cursor when the request was made (a tail is enough). */
  prefix: string;
  /** Text after the cursor on the request's line; typing through must not change it. */
  lineSuffix: string;
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

  add(entry: CachedCompletion): void {
    const i = this.entries.findIndex((e) => e.prefix === entry.prefix && e.lineSuffix === entry.lineSuffix);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.unshift(entry);
    if (this.entries.length > this.capacity) this.entries.length = this.capacity;
  }

  /**
   * Finds a completion that the current position continues: the current prefix is an
   * earlier request's prefix plus text that the completion itself starts with.
   */
  lookup(prefix: string, lineSuffix: string): CacheHit | undefined {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.lineSuffix !== lineSuffix || !prefix.startsWith(e.prefix)) continue;
      const typed = prefix.length - e.prefix.length;
      if (typed >= e.text.length) continue;
      if (e.text.startsWith(prefix.slice(e.prefix.length))) {
        // Most recently used first.
        this.entries.splice(i, 1);
        this.entries.unshift(e);
        return { entry: e, remaining: e.text.slice(typed), typed };
      }
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
