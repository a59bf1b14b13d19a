// Lifetimes without vscode: the same shape as vscode.Disposable, so core's pollers and the
// extension's owners register with each other directly.

export interface Disposable {
  dispose(): void;
}

/** A disposable that calls `fn` once, however often it is disposed. */
export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * Holds one swappable disposable (a connection, a poller, a hold on one): setting a new
 * value disposes the old one, and disposing the holder disposes the value
 * (vscode-hexeditor's DisposableValue).
 */
export class DisposableValue<T extends Disposable> implements Disposable {
  private current: T | undefined;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (next === this.current) return;
    const old = this.current;
    this.current = next;
    old?.dispose();
  }

  dispose(): void {
    this.value = undefined;
  }
}
