// The small code model that ships with the extension (models/ in the package): what the
// embedded engine serves when no GGUF file is given. Trained by this project (training/).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BUNDLED_MODEL_FILE = 'completion-lab-coder-50m.gguf';
export const BUNDLED_MODEL_NAME = 'completion-lab-coder-50m';

/**
 * models/<file> in the nearest folder above this module that has it: the package root from
 * dist/ (the bundle) as from out/src/core/engine (compiled tests). Undefined if not shipped.
 */
export function bundledModelPath(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'models', BUNDLED_MODEL_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
