// Prompt building off the extension host's thread: a ContextBuilder that hands each
// request to dist/contextWorker.js and awaits the answer. The worker starts on first use
// (or warm()) and is started again if it ever dies; a ContextError keeps its class so
// callers tell "no room in the prompt" from other failures.
import { Worker } from 'node:worker_threads';
import { ContextError, type BuiltContext, type ContextInput } from '../core/context/buildContext';
import type { ContextBuilder } from '../core/pipeline/completeAt';
import type { ContextRequest, ContextResponse } from './contextWorker';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerContextBuilder implements ContextBuilder {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Prompts the worker has built (the API reports it: proof the host did not tokenize). */
  built = 0;

  constructor(private readonly script: string) {}

  build = async (input: ContextInput): Promise<BuiltContext> => {
    const context = (await this.call({ kind: 'build', input })) as BuiltContext;
    this.built++;
    return context;
  };

  warm = async (): Promise<void> => {
    await this.call({ kind: 'warm' });
  };

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('The prompt builder was stopped.'));
    void w?.terminate();
  }

  private call(req: { kind: 'warm' } | { kind: 'build'; input: ContextInput }): Promise<unknown> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...req } as ContextRequest);
    });
  }

  private start(): Worker {
    const worker = new Worker(this.script);
    // Idle, it must not keep a process (the CLI, a test) alive.
    worker.unref();
    worker.on('message', (msg: ContextResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(msg.error.name === 'ContextError' ? new ContextError(msg.error.message) : Object.assign(new Error(msg.error.message), { name: msg.error.name }));
    });
    worker.on('error', (err) => this.failAll(new Error(`The prompt builder's worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error(`The prompt builder's worker exited (code ${code}); the next completion starts a new one.`));
    });
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
