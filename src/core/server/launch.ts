// Starts a model server for a comparison and measures its load: spawn -> first /health 200
// (polled every 0.5 s; connection refused means "still loading"; the process must stay
// alive). DESIGN.md: two vLLM servers on one GPU must start one after the other, so the
// comparison starts each profile's server just before its run and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { serverRoot } from './probe';

export interface LaunchSpec {
  /** A shell command (the profile's launch command) ... */
  command?: string;
  /** ... or an argv run without a shell (the embedded engine). */
  argv?: string[];
  /** Shown in the report: how it was started. */
  how: string;
  endpoint: string;
  env?: NodeJS.ProcessEnv;
  /** Default 10 minutes (a big model on a cold disk). */
  readyTimeoutMs?: number;
  /** The server's log lines (stderr and stdout), for the caller's log. */
  onOutput?: (text: string) => void;
}

export interface LaunchedServer {
  how: string;
  pid: number;
  /** Epoch ms. */
  spawnedAt: number;
  readyAt: number;
  stop(): Promise<void>;
}

const POLL_MS = 500;

export async function launchServer(spec: LaunchSpec): Promise<LaunchedServer> {
  const spawnedAt = Date.now();
  const child = spec.command
    ? spawn(spec.command, { shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: spec.env ?? process.env })
    : spawn(spec.argv![0]!, spec.argv!.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: spec.env ?? process.env });
  let tail = '';
  const onData = (d: Buffer): void => {
    const text = d.toString();
    tail = (tail + text).slice(-2000);
    spec.onOutput?.(text);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? String(code)));
  child.once('error', (err) => (exited = err.message));
  const stop = (): Promise<void> => stopGroup(child);

  const health = `${serverRoot(spec.endpoint)}/health`;
  const until = spawnedAt + (spec.readyTimeoutMs ?? 600_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${spec.how} exited (${exited}) before ${health} answered 200. Its last output:\n${tail.trim()}`);
    try {
      const res = await fetch(health, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { how: spec.how, pid: child.pid!, spawnedAt, readyAt: Date.now(), stop };
    } catch {
      // refused or timed out: still loading
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`${spec.how} did not answer 200 at ${health} within ${Math.round((spec.readyTimeoutMs ?? 600_000) / 1000)} s; stopped it.`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** SIGTERM to the whole process group (a shell's children too), SIGKILL after 10 s. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    const force = setTimeout(() => kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    kill('SIGTERM');
  });
}
