// Starts the embedded engine (`node dist/cli.js serve`) in its own process group and
// waits for the one JSON line it prints when ready: {url, model, pid, maxModelLen}.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { repoRoot } from './paths.mjs';
import { spawnGroup, killGroup, tailOf } from './processes.mjs';

/**
 * @param {{model?: string, timeoutMs?: number, log?: (line: string) => void}} [opts]
 *   model: a GGUF file; without it the tiny random-weight test model.
 */
export async function startEngine(opts = {}) {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run "node esbuild.js" first.`);
  const args = [cli, 'serve', ...(opts.model ? ['--model', opts.model] : ['--tiny']), '--port', '0', ...(opts.args ?? [])];
  const child = spawnGroup(process.execPath, args, { cwd: repoRoot, env: process.env });
  const stderrTail = tailOf(child.stderr);
  const timeoutMs = opts.timeoutMs ?? 180000;
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(`did not print its ready line within ${timeoutMs / 1000}s`), timeoutMs);
    function fail(why) {
      clearTimeout(timer);
      reject(new Error(`The embedded engine (${args.slice(1).join(' ')}) ${why}.\n${stderrTail()}`));
    }
    child.stdout.on('data', (d) => {
      out += d.toString();
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        if (!line.startsWith('{')) {
          if (line) opts.log?.(line);
          continue;
        }
        try {
          const info = JSON.parse(line);
          if (typeof info.url === 'string') {
            clearTimeout(timer);
            resolve(info);
            return;
          }
        } catch {
          /* a log line that happens to start with "{" */
        }
      }
    });
    child.on('error', (err) => fail(`could not be started: ${err.message}`));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
  child.removeAllListeners('exit');
  child.stdout.resume();
  return {
    url: ready.url,
    model: ready.model,
    pid: ready.pid ?? child.pid,
    maxModelLen: ready.maxModelLen,
    child,
    stop: () => killGroup(child),
  };
}
