// Child processes for the harness: streamed commands, detached process groups that are
// always killed as a group (code-server's children survive a plain SIGTERM), free ports.
import { spawn } from 'node:child_process';
import * as net from 'node:net';

/** Runs a command with inherited stdio (output streams live); resolves to its exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    child.on('error', (err) => {
      console.error(`[harness] could not start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
}

/** Runs a command, failing with a clear message when it exits non-zero. */
export async function mustRun(cmd, args, opts = {}) {
  const code = await run(cmd, args, opts);
  if (code !== 0) throw new Error(`"${[cmd, ...args].join(' ')}" exited with ${code}`);
}

const groups = new Set();

/** Spawns a detached child in its own process group, remembered for killAll(). */
export function spawnGroup(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  groups.add(child);
  child.on('exit', () => groups.delete(child));
  return child;
}

/** Kills a child's whole process group: SIGTERM, then SIGKILL after graceMs. */
export async function killGroup(child, graceMs = 3000) {
  if (!child || child.pid === undefined) return;
  groups.delete(child);
  const signalGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
      return true;
    } catch {
      return false; // already gone
    }
  };
  if (!signalGroup('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(child.pid)) return;
    await sleep(100);
  }
  signalGroup('SIGKILL');
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Last-resort cleanup on exit: SIGKILL every group still known (synchronous). */
export function killAllNow() {
  for (const child of groups) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  groups.clear();
}

let exitHooked = false;
/** Makes sure no detached group outlives this process, also on Ctrl+C. */
export function killGroupsOnExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', killAllNow);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(sig, () => {
      killAllNow();
      process.exit(code);
    });
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** A free TCP port on 127.0.0.1 (preferred one first when given and free). */
export async function freePort(preferred) {
  if (preferred && (await portIsFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Polls url until it answers (any HTTP status) or the child dies or time runs out. */
export async function waitForHttp(url, { timeoutMs = 60000, child, what = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited (code ${child.exitCode}) before it answered at ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      lastErr = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s (${lastErr})`);
}

/** Keeps the last maxChars of a stream, to explain a failure without flooding the log. */
export function tailOf(stream, maxChars = 4000) {
  let buf = '';
  stream?.on('data', (d) => {
    buf = (buf + d.toString()).slice(-maxChars);
  });
  return () => buf;
}
