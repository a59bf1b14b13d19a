// A fixed set of context sequences (one per concurrent request) with a FIFO queue in
// front: requests beyond --parallel wait, and the waiting count is what /metrics reports.

export class AbortedWhileQueuedError extends Error {
  constructor() {
    super('request aborted while waiting for a free sequence');
  }
}

export class SequencePool<T> {
  private readonly free: T[];
  private readonly waiters: { resolve(item: T): void; reject(err: Error): void; signal: AbortSignal; onAbort(): void }[] = [];

  constructor(items: readonly T[]) {
    this.free = [...items];
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a free item; rejects with AbortedWhileQueuedError if `signal` fires first. */
  acquire(signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(new AbortedWhileQueuedError());
    const item = this.free.pop();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i !== -1) this.waiters.splice(i, 1);
          reject(new AbortedWhileQueuedError());
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(item: T): void {
    const next = this.waiters.shift();
    if (next) {
      next.signal.removeEventListener('abort', next.onAbort);
      next.resolve(item);
    } else {
      this.free.push(item);
    }
  }
}
