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

export { DisposableValue, toDisposable } from '../core/lifecycle/disposable';
