// `completion-lab serve`: the embedded llama.cpp engine behind vLLM's HTTP API. Prints one
// JSON line on stdout when it is ready ({"url","model","pid","maxModelLen"}); logs on stderr.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import { Engine } from '../../core/engine/engine';
import { readGgufHeader } from '../../core/testModel/ggufHeader';
import { createEngineServer } from '../../core/engine/httpServer';
import { EngineUnavailableError, defaultThreads } from '../../core/engine/llamaRuntime';
import { defaultCacheDir, ensureTinyModel } from '../../core/testModel/tinyModel';
import { BUNDLED_MODEL_FILE, BUNDLED_MODEL_NAME, bundledModelPath } from '../../core/engine/bundledModel';
import { CliUsageError } from '../usage';
import { parseCommandArgs, stringOptions } from '../args';

/** A function, not a constant: the terminal's language is loaded after this module. */
const help = (): string => l10n.t(`Usage: completion-lab serve [--model FILE.gguf | --tiny] [options]

Serves a GGUF model with llama.cpp (node-llama-cpp) behind vLLM's HTTP API:
/v1/completions (streaming, with usage), /v1/models, /health, /version, /tokenize, /metrics.

Options:
  --model FILE            GGUF model file (default: the bundled small code model,
                          models/{0}, trained for Python FIM and continuation)
  --tiny                  the tiny random-weight Qwen2 test model (generated once, cached in
                          $COMPLETION_LAB_CACHE or ~/.cache/completion-lab)
  --port N                port (default 8000; 0 = any free port)
  --host H                address to bind (default 127.0.0.1)
  --ctx-size N            tokens per request, i.e. max_model_len (default: model's, at most 8192)
  --threads N             CPU threads (default {1} here: cores - 1, at most 4)
  --parallel N            concurrent requests; more wait in a queue (default 2)
  --served-model-name S   model name in the API (default: file name; tiny-qwen2 with --tiny)
  --gpu auto|cpu          use a GPU if llama.cpp finds one (default auto)
  --log-requests FILE     append each completion request (prompt, n, seed, max_tokens) to FILE
                          as one JSON line: what a client really sent
  With --tiny: --seed N, --allow-eos (let the model end early), --favor-token STR,
              --tiny-hidden N, --tiny-layers N (a bigger, slower model; default 64 and 2)
`, BUNDLED_MODEL_FILE, defaultThreads());

function intOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliUsageError(`--${name} must be an integer >= ${min}, got "${value}".`);
  return n;
}

const log = (line: string): void => void process.stderr.write(`[engine] ${line}\n`);

export async function run(args: string[]): Promise<number> {
  const values = parseCommandArgs('serve', args, {
    model: { type: 'string' },
    tiny: { type: 'boolean' },
    ...stringOptions('port', 'host', 'ctx-size', 'threads', 'parallel', 'served-model-name', 'gpu', 'seed', 'log-requests'),
    'allow-eos': { type: 'boolean' },
    'favor-token': { type: 'string' },
    'tiny-hidden': { type: 'string' },
    'tiny-layers': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  if (values.gpu !== undefined && values.gpu !== 'auto' && values.gpu !== 'cpu') throw new CliUsageError(`--gpu must be "auto" or "cpu", got "${values.gpu}".`);
  if (values.tiny && values.model) throw new CliUsageError('Pass either --model or --tiny, not both.');
  const port = intOption(values.port, 'port', 0) ?? 8000;
  const host = values.host ?? '127.0.0.1';

  let modelPath: string;
  if (values.tiny) {
    const started = performance.now();
    modelPath = ensureTinyModel(defaultCacheDir(), {
      seed: intOption(values.seed, 'seed', 0),
      noEos: !values['allow-eos'],
      ...(values['favor-token'] !== undefined ? { favorToken: values['favor-token'] } : {}),
      hidden: intOption(values['tiny-hidden'], 'tiny-hidden', 16),
      layers: intOption(values['tiny-layers'], 'tiny-layers', 1),
    });
    log(`tiny model: ${modelPath} (${Math.round(performance.now() - started)} ms)`);
  } else if (values.model === undefined) {
    const bundled = bundledModelPath();
    if (!bundled) throw new CliUsageError(`The bundled model models/${BUNDLED_MODEL_FILE} is missing from this installation. Pass --model with a path to a .gguf file, or --tiny for the test model.`);
    modelPath = bundled;
  } else {
    if (!values.model || !fs.existsSync(values.model)) {
      throw new CliUsageError(`GGUF file not found: ${values.model ?? '(none given)'}. Pass --model with a path to a .gguf file, or --tiny for the test model.`);
    }
    modelPath = values.model;
    try {
      readGgufHeader(modelPath);
    } catch (err) {
      throw new CliUsageError(`${(err as Error).message} Pass --model with a path to a .gguf file.`);
    }
  }
  const servedModelName = values['served-model-name'] ?? (values.tiny ? 'tiny-qwen2' : values.model === undefined ? BUNDLED_MODEL_NAME : modelPath.replace(/^.*[\\/]/, '').replace(/\.gguf$/i, ''));

  const loadStart = performance.now();
  let engine: Engine;
  try {
    engine = await Engine.load({
      modelPath,
      servedModelName,
      contextSize: intOption(values['ctx-size'], 'ctx-size', 16),
      threads: intOption(values.threads, 'threads', 1),
      parallel: intOption(values.parallel, 'parallel', 1),
      gpu: values.gpu === 'cpu' ? 'cpu' : 'auto',
      log,
    });
  } catch (err) {
    if (err instanceof EngineUnavailableError) throw new CliUsageError(err.message, 1);
    throw new CliUsageError(`Could not load ${modelPath} with llama.cpp: ${(err as Error).message}`, 1);
  }
  log(`loaded ${servedModelName} in ${Math.round(performance.now() - loadStart)} ms: max_model_len ${engine.maxModelLen}, ${engine.parallel} parallel, ${engine.threads} threads, gpu ${engine.gpu || 'none (CPU)'}`);

  const requestLog = values['log-requests'] ? fs.createWriteStream(values['log-requests'], { flags: 'a' }) : undefined;
  requestLog?.on('error', (err) => log(`--log-requests: ${err.message}; requests are no longer logged.`));
  const server = createEngineServer(engine, {
    log,
    bindHost: host,
    ...(requestLog
      ? { onCompletionRequest: (r) => void requestLog.write(`${JSON.stringify({ ts: Date.now(), model: r.model, prompt: r.prompt, n: r.n, seed: r.seed, max_tokens: r.maxTokens })}\n`) }
      : {}),
  });
  await listen(server, port, host).catch(async (err: NodeJS.ErrnoException) => {
    await engine.dispose();
    throw new CliUsageError(err.code === 'EADDRINUSE' ? `Port ${port} on ${host} is in use; pass another --port (0 picks a free one).` : `Cannot listen on ${host}:${port}: ${err.message}`, 1);
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(JSON.stringify({ url: `http://${urlHost}:${boundPort}`, model: servedModelName, pid: process.pid, maxModelLen: engine.maxModelLen }) + '\n');

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log(`${signal}: shutting down`);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  server.close();
  server.closeAllConnections();
  requestLog?.end();
  await engine.dispose();
  // Native threads should not keep the process alive after disposal; make sure.
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
