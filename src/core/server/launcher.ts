// Starting model servers (the embedded engine, a profile's `vllm serve ...`) so that they
// never outlive the program that started them.
//
// Each runs under a small guard process (plain Node, its own process group, stdin a pipe
// from us). When we die, even by SIGKILL, the kernel closes that pipe; the guard sees the
// end of its stdin and stops the whole group: SIGTERM, then SIGKILL after a grace period.
// vLLM and shells do not watch their parent; the guard does it for them. Stopping is the
// same from our side: the whole group, SIGTERM then SIGKILL, even when its leader has
// already exited (a shell that exec'd or died leaves its children in the group).
import { spawn, type ChildProcess } from 'node:child_process';

export const DEFAULT_GRACE_MS = 5000;

/** The guard, run with `node -e`; argv: grace ms, file, args... */
const GUARD = `
const { spawn } = require('node:child_process');
const [graceMs, file, ...args] = process.argv.slice(1);
let stopping = false;
// The guard is the group leader: a group signal reaches it too; it stays to escalate.
process.on('SIGTERM', () => undefined);
process.on('SIGINT', () => undefined);
const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (e) => { process.stderr.write(String(e.message) + '\\n'); process.exit(127); });
child.on('exit', (code, signal) => { if (!stopping) process.exit(code ?? (signal ? 1 : 0)); });
const stopAll = () => {
  if (stopping) return;
  stopping = true;
  try { process.kill(-process.pid, 'SIGTERM'); } catch {}
  setTimeout(() => { try { process.kill(-process.pid, 'SIGKILL'); } catch {} process.exit(1); }, Number(graceMs)).unref();
  child.once('exit', () => setTimeout(() => process.exit(0), 50));
};
process.stdin.on('end', stopAll);
process.stdin.on('close', stopAll);
process.stdin.on('error', stopAll);
process.stdin.resume();
`;

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long stop() and the guard wait after SIGTERM before SIGKILL. */
  graceMs?: number;
}

export interface Launched {
  /** The guard process: its stdout/stderr carry the server's. */
  readonly child: ChildProcess;
  /** Resolves when the server (and so its guard) has exited, for any reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves when the group is gone. */
  stop(): Promise<void>;
}

/** Runs `file args` under a guard (for Node programs, `file` = process.execPath). */
export function launch(file: string, args: readonly string[], opts: LaunchOptions = {}): Launched {
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const child = spawn(process.execPath, ['-e', GUARD, String(graceMs), file, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    // The guard is run by this runtime; under desktop VS Code that is Electron, so as Node.
    env: { ...(opts.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  // Never written to: only its closing (our exit) means something.
  child.stdin!.on('error', () => undefined);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once('error', () => {
      running = false;
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    exited,
    get running() {
      return running;
    },
    stop: () => stopGroup(child.pid, graceMs),
  };
}

/** A shell command (a profile's launch command) under a guard. */
export function launchShell(command: string, opts: LaunchOptions = {}): Launched {
  return launch('/bin/sh', ['-c', command], opts);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM to group `pgid`, SIGKILL after `graceMs`; resolves once no process of it is left. */
export async function stopGroup(pgid: number | undefined, graceMs = DEFAULT_GRACE_MS): Promise<void> {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return; // no such group: everything in it has exited
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return;
  }
  // Bounded: an exited process nobody reaps (a container whose PID 1 does not) still counts.
  const killDeadline = Date.now() + 2000;
  while (groupAlive(pgid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
}
