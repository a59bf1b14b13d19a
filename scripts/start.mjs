#!/usr/bin/env node
// `npm start`: the extension running in a real VS Code (code-server) in your browser,
// completing code in a copy of sample-workspace.
//   npm start                          the bundled small code model (models/), embedded engine
//   npm start -- --tiny                the tiny random-weight test model (noise text, real timings)
//   npm start -- --model FILE.gguf     the embedded llama.cpp engine on your GGUF model
//   npm start -- --endpoint URL        a server you already run (vLLM, llama-server, ...)
//   npm start -- --port 8080           where code-server listens (env PORT; default 8080 or next free)
// Env: COMPLETION_LAB_MODEL, COMPLETION_LAB_ENDPOINT, PORT. Ctrl+C stops everything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  repoRoot, ensureTestTools, installedFolderName, mustRun, killGroupsOnExit, freePort,
  startEngine, prepareWorkspace, completionSettings, startCodeServer, workbenchUrl, removeTemp,
} from './lib/harness.mjs';

function option(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) fail(`${name} needs a value.`);
  return value;
}

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(2);
}

async function main() {
  const known = new Set(['--model', '--endpoint', '--port']);
  const tiny = process.argv.includes('--tiny');
  const rest = process.argv.slice(2).filter((a) => a !== '--tiny');
  for (let i = 0; i < rest.length; i += 2) {
    if (!known.has(rest[i])) fail(`unknown option "${rest[i]}". Use --model FILE.gguf, --tiny, --endpoint URL or --port N.`);
  }
  const bundled = path.join(repoRoot, 'models', 'completion-lab-coder-50m.gguf');
  const model = option('--model') ?? process.env.COMPLETION_LAB_MODEL ?? (tiny || option('--endpoint') || process.env.COMPLETION_LAB_ENDPOINT ? undefined : bundled);
  const endpoint = option('--endpoint') ?? process.env.COMPLETION_LAB_ENDPOINT;
  const portWanted = Number(option('--port') ?? process.env.PORT ?? 8080);
  if (model && endpoint) fail('give either --model (start the embedded engine) or --endpoint (use a running server), not both.');
  if (model && !fs.existsSync(model)) fail(`model file not found: ${model}`);
  if (endpoint && !/^https?:\/\//.test(endpoint)) fail(`--endpoint must be an http(s) URL, got "${endpoint}".`);
  if (!Number.isInteger(portWanted) || portWanted <= 0) fail(`--port must be a port number.`);

  killGroupsOnExit();
  const problem = await ensureTestTools();
  if (problem) fail(problem);
  console.log('Building the extension (dev)...');
  await mustRun(process.execPath, ['esbuild.js'], { cwd: repoRoot });

  let url = endpoint;
  let stopEngine = async () => {};
  let settings;
  if (endpoint) {
    settings = completionSettings(endpoint);
    settings['completionLab.profiles'] = [{ name: 'server', endpoint, template: 'auto' }];
    settings['completionLab.activeProfile'] = 'server';
  } else {
    console.log(model ? `Starting the embedded engine on ${model}...` : 'Starting the embedded engine with the tiny test model (random weights: its text is noise, its timings are real)...');
    if (model === bundled) console.log('(the bundled small code model: pass --tiny for the random-weight test model, --model FILE.gguf for your own)');
    const engine = await startEngine({ model: model && path.resolve(model) });
    stopEngine = engine.stop;
    url = engine.url;
    console.log(`Engine ready at ${engine.url} (model ${engine.model}, context ${engine.maxModelLen} tokens).`);
    settings = completionSettings(engine.url);
    if (model === bundled) {
      // Two profiles of the same model that differ in a way the comparison can show:
      // fill-in-the-middle (active: it uses the text after the cursor, stops where the gap
      // ends, and its completions parse more often, see training/MODEL_CARD.md) against
      // prefix-only.
      settings['completionLab.profiles'] = [
        { name: 'coder FIM', endpoint: engine.url, template: 'qwen-fim', temperature: 0, maxTokens: 48 },
        { name: 'coder prefix-only', endpoint: engine.url, template: 'prefix-only', temperature: 0, maxTokens: 48 },
      ];
      settings['completionLab.activeProfile'] = 'coder FIM';
    } else if (model) {
      settings['completionLab.profiles'] = [{ name: 'embedded', endpoint: engine.url, template: 'auto' }];
      settings['completionLab.activeProfile'] = 'embedded';
    }
  }

  const { dir, workspace } = prepareWorkspace(path.join(repoRoot, 'sample-workspace'), settings, 'start');
  // The checkout itself is the installed extension (a link): rebuild with `npm run watch`
  // and reload the browser window to pick up changes.
  const extensionsDir = path.join(dir, 'exts');
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.symlinkSync(repoRoot, path.join(extensionsDir, installedFolderName()), 'dir');
  const port = await freePort(portWanted);
  const server = await startCodeServer({ workspace, userDataDir: path.join(dir, 'user-data'), extensionsDir, port });

  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the engine...');
    await server.stop();
    await stopEngine();
    removeTemp(dir);
    process.exit(code);
  };
  // Registered after killGroupsOnExit's handlers would exit first: replace them with a clean stop.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.removeAllListeners(sig);
    process.on(sig, () => void stopAll(0));
  }
  server.child.on('exit', (code) => {
    if (stopping) return;
    console.error(`code-server exited (${code}).\n${server.output()}`);
    void stopAll(1);
  });

  console.log('');
  console.log(`Completion Lab is running: open ${workbenchUrl(port, workspace)}`);
  console.log(`  completions from ${url}; workspace ${workspace}`);
  console.log('  Press Ctrl+C to stop.');
}

main().catch((err) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
