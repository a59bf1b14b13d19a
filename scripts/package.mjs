#!/usr/bin/env node
// `npm run package`: a production build, then dist-vsix/<name>-<version>.vsix.
// The extension, CLI and webview are bundled by esbuild, so the package needs no
// node_modules (--no-dependencies). node-llama-cpp (the embedded engine) stays external and
// optional: without it the extension works against any OpenAI-compatible server; see
// DESIGN.md "The embedded engine" for per-platform packages (`--target linux-x64`).
// Usage: node scripts/package.mjs [--target linux-x64] [--out FILE] [--skip-build]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, packageJson } from './lib/paths.mjs';
import { mustRun } from './lib/processes.mjs';

export function vsixPath() {
  const pkg = packageJson();
  return path.join(repoRoot, 'dist-vsix', `${pkg.name}-${pkg.version}.vsix`);
}

export async function packageVsix({ target, out = vsixPath(), skipBuild = false } = {}) {
  if (!skipBuild) await mustRun(process.execPath, ['esbuild.js', '--production'], { cwd: repoRoot });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  // No `repository` in package.json: vsce would prompt for it and refuse to rewrite the
  // README's relative image link. The image ships inside the .vsix (media/), where VS Code's
  // extension page resolves relative links, so they stay relative.
  const args = ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out];
  if (target) args.push('--target', target);
  await mustRun(npx, args, { cwd: repoRoot, env: { ...process.env, CI: process.env.CI ?? 'true' } });
  return out;
}

function flag(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  packageVsix({ target: flag('--target'), out: flag('--out') ? path.resolve(flag('--out')) : undefined, skipBuild: process.argv.includes('--skip-build') }).then(
    (out) => console.log(`Packaged ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB)`),
    (err) => {
      console.error(`package: ${err.message}`);
      process.exit(1);
    },
  );
}
