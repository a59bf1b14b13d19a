// Which GPU tool is on PATH. Looked up once per start, so "no tool" is found without
// spawning anything (and without an error loop).
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GpuToolChoice, GpuToolName } from './types';

export const TOOL_ORDER: readonly GpuToolName[] = ['nvidia-smi', 'amd-smi', 'rocm-smi'];

export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** The tool to use: the one asked for, or for 'auto' the first of nvidia-smi, amd-smi, rocm-smi on PATH. */
export function chooseTool(choice: GpuToolChoice, env: NodeJS.ProcessEnv = process.env): GpuToolName | null {
  if (choice !== 'auto') return findOnPath(choice, env) ? choice : null;
  return TOOL_ORDER.find((t) => findOnPath(t, env)) ?? null;
}

/** A function, not a constant: the display language's bundle is loaded after this module. */
export function noGpuToolMessage(): string {
  return l10n.t('No GPU tool found: nvidia-smi, amd-smi and rocm-smi are not on PATH. GPU stats need one of them on the machine that runs the model server.');
}
