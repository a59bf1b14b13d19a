// A tiny typed event emitter: `on` returns a disposable, so listeners belong to a lifecycle.
import type { Disposable } from './disposable';

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A faulty listener must not stop a poller or starve the other listeners.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
