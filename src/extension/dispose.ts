// Disposables by construction: everything a class starts is registered with it and goes
// away with it (the pattern of vscode-hexeditor's dispose.ts).
import * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.disposables.push(d);
    return d;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.disposables.length) {
      try {
        this.disposables.pop()!.dispose();
      } catch {
        // One failing disposer must not keep the rest alive.
      }
    }
  }
}

/** A disposable that calls a function once. */
export function toDisposable(fn: () => void): vscode.Disposable {
  let done = false;
  return { dispose: () => { if (!done) { done = true; fn(); } } };
}
