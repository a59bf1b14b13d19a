// Puts the replaying stand-in `nvidia-smi` (replay-nvidia-smi.cjs) first on PATH, in a temp
// dir, for tests and benches. Returns the env to hand to the code under test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** Real nvidia-smi output captured on an H200 (see its README). */
export const nvidiaFixtures = path.join(repoRoot, 'test', 'fixtures', 'nvidia-smi');

export interface ReplayOptions {
  /** Which apps fixture to print. */
  apps?: 'load' | 'idle';
  /** Keep only the temp dir on PATH (plus node's own dir), so no real GPU tool is found. */
  isolatePath?: boolean;
}

export interface ReplayInstall {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** File with one line per stand-in invocation ("<pid> <args>"). */
  logFile: string;
  invocations(): string[];
  cleanup(): void;
}

/** A temp dir holding nothing, for "no GPU tool on PATH" tests (node stays reachable for scripts). */
export function emptyPathEnv(): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-nogpu-'));
  return { env: { ...process.env, PATH: dir }, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function installReplayNvidiaSmi(opts: ReplayOptions = {}): ReplayInstall {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-replay-smi-'));
  const target = path.join(dir, 'nvidia-smi');
  // The script runs with this very node, whatever is on PATH.
  const source = fs.readFileSync(path.join(repoRoot, 'test', 'support', 'replay-nvidia-smi.cjs'), 'utf8');
  fs.writeFileSync(target, source.replace(/^#!.*\n/, `#!${process.execPath}\n`), { mode: 0o755 });
  const logFile = path.join(dir, 'invocations.log');
  const basePath = opts.isolatePath === false ? (process.env['PATH'] ?? '') : '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: basePath ? `${dir}${path.delimiter}${basePath}` : dir,
    REPLAY_NVIDIA_SMI_FIXTURES: nvidiaFixtures,
    REPLAY_NVIDIA_SMI_LOG: logFile,
  };
  if (opts.apps === 'idle') env['REPLAY_NVIDIA_SMI_APPS'] = 'idle';
  return {
    dir,
    env,
    logFile,
    invocations: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
