// Runs one exported function of a compiled module in a child Node process with a small
// heap, so a test can assert that work is bounded: an endless loop that allocates (the way
// a runaway line walk does) ends the child with an out-of-memory crash and fails the test,
// where in the test process itself it would take mocha down before it could report. (A
// worker thread's resourceLimits do not help: a growing array aborts the whole process.)
import { fork } from 'node:child_process';
import * as path from 'node:path';

/** Compiled module of `src/...` as seen from out/test/support (tsc's rootDir is the repository). */
export function compiledSrc(rel: string): string {
  return path.join(__dirname, '..', '..', 'src', rel);
}

/** A compiled module under out/test, e.g. `support/contextBatch.js`. */
export function compiledTest(rel: string): string {
  return path.join(__dirname, '..', rel);
}

export interface ChildLimits {
  /** V8 old-space limit in MB: a runaway allocation ends the child. */
  maxOldMb?: number;
}

export function runBounded<T>(file: string, fn: string, args: unknown[], limits: ChildLimits = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(path.join(__dirname, 'boundedChild.js'), [], {
      execArgv: [`--max-old-space-size=${limits.maxOldMb ?? 512}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let answer: { ok: boolean; value?: T; error?: string } | undefined;
    child.once('message', (m: { ok: boolean; value?: T; error?: string }) => {
      answer = m;
      child.disconnect();
    });
    child.once('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.value as T);
      else if (answer) reject(new Error(answer.error));
      else reject(new Error(`${fn}(...) in ${path.basename(file)} did not return: the process ended (${signal ?? `exit ${code}`}). ${stderr.includes('heap out of memory') || stderr.includes('invalid size') ? 'It ran out of memory: unbounded work.' : stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
    child.send({ file, fn, args });
  });
}
