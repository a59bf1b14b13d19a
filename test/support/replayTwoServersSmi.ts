// Puts the two-servers replaying stand-in `nvidia-smi` (replay-two-servers-smi.cjs) alone
// on PATH in a temp dir, with the captured PIDs mapped to local ones.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const twoServersFixtures = path.join(repoRoot, 'test', 'fixtures', 'nvidia-smi-h200-two-servers');

/** The captured PIDs: server A's engine child (3518 MiB) and server B (1718 MiB). */
export const CAPTURED = { serverAChild: 481, serverB: 480 } as const;

export function installTwoServersSmi(pidMap: Record<number, number>): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-smi-two-'));
  const source = fs.readFileSync(path.join(repoRoot, 'test', 'support', 'replay-two-servers-smi.cjs'), 'utf8');
  fs.writeFileSync(path.join(dir, 'nvidia-smi'), source.replace(/^#!.*\n/, `#!${process.execPath}\n`), { mode: 0o755 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: dir,
    REPLAY_SMI_FIXTURES: twoServersFixtures,
    REPLAY_PID_MAP: Object.entries(pidMap).map(([from, to]) => `${from}:${to}`).join(','),
  };
  return { env, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
