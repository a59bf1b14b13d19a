// Starts the real embedded engine (the built CLI, `dist/cli.js serve --tiny`) for tests
// and benches, and reads its /metrics. Build first: `node esbuild.js`.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Compiled to out/test/support/engine.js: the repository root is three levels up. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface StartEngineOptions {
  tinyOptions?: { favorToken?: string; noEos?: boolean };
  /** A GGUF file to serve instead of the tiny test model. */
  model?: string;
  /** Extra CLI arguments for `serve` (e.g. ['--parallel', '1']). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the ready line; default 90 s. */
  timeoutMs?: number;
}

export interface StartedEngine {
  url: string;
  model: string;
  pid: number;
  maxModelLen: number;
  stop(): Promise<void>;
}

export async function startEngine(opts: StartEngineOptions = {}): Promise<StartedEngine> {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: build first with \`node esbuild.js\`.`);
  const args = [cli, 'serve', ...(opts.model ? ['--model', opts.model] : ['--tiny']), '--port', '0'];
  if (opts.tinyOptions?.noEos === false) args.push('--allow-eos');
  if (opts.tinyOptions?.favorToken !== undefined) args.push('--favor-token', opts.tinyOptions.favorToken);
  args.push(...(opts.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { COMPLETION_LAB_CACHE: path.join(repoRoot, '.test-cache'), ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-8000);
  });
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const ready = await new Promise<{ url: string; model: string; pid: number; maxModelLen: number }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not print its ready line within ${timeoutMs} ms. stderr:\n${stderr}`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, nl)));
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`engine printed something other than its JSON ready line: ${stdout.slice(0, nl)}\nstderr:\n${stderr}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`engine exited (${signal ?? code}) before it was ready. stderr:\n${stderr}`));
    });
  });
  return { ...ready, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Value of a metric from the server's /metrics, summed over all label sets (0 when absent). */
export async function scrapeMetric(url: string, name: string): Promise<number> {
  return (await scrapeMetrics(url, [name]))[name]!;
}

/** Several metrics from one read of the server's /metrics, each summed over its label sets. */
export async function scrapeMetrics(url: string, names: readonly string[]): Promise<Record<string, number>> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET ${url}/metrics: HTTP ${res.status}`);
  const text = await res.text();
  const sums: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([^\s{]+)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && Object.prototype.hasOwnProperty.call(sums, m[1]!)) sums[m[1]!]! += Number(m[3]);
  }
  return sums;
}
