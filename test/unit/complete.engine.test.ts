// `completion-lab complete` and completeAt against the REAL embedded engine (llama.cpp with
// the tiny random-weight Qwen2 model): real tokenizer, real HTTP, real streaming.
// Build first: `node esbuild.js` (the tests run dist/cli.js).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { completeAt, resolveFor } from '../../src/core/pipeline';
import { repoRoot, startEngine, type StartedEngine } from '../support/engine';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'complete', ...args], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface CompleteJson {
  text: string | null;
  raw: string;
  model: string;
  template: string;
  promptTokens: number;
  serverPromptTokens: number | null;
  truncated: { prefixLines: number; suffixLines: number };
  timings: { ttftMs: number | null; e2eMs: number | null; tpotMs: number | null; decodeTokensPerSec: number | null; outputTokens: number | null };
  finishReason: string | null;
  warnings: string[];
}

function parseOne(run: CliRun): CompleteJson {
  assert.equal(run.code, 0, `exit ${run.code}; stderr: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON line on stdout');
  return JSON.parse(lines[0]!) as CompleteJson;
}

function pythonModule(functions: number): string {
  const out: string[] = ['"""Order handling."""', 'import math', ''];
  for (let i = 0; i < functions; i++) out.push(`def price_${i}(qty, unit=${i}.5):`, `    """Total for qty items."""`, `    return math.ceil(qty * unit * 100) / 100`, '');
  return out.join('\n') + '\n';
}

describe('complete: CLI and pipeline against the real embedded engine', function () {
  this.timeout(180_000);
  let engine: StartedEngine;
  let dir: string;

  before(async () => {
    engine = await startEngine();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-complete-'));
  });
  after(async () => {
    await engine?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON object with real timings, the exact prompt size and max_tokens tokens', async () => {
    const file = path.join(dir, 'orders.py');
    fs.writeFileSync(file, pythonModule(40));
    // Line 9 is "    return math.ceil(...)" of price_1; column 5 is before "return".
    const out = parseOne(await cli(['--endpoint', engine.url, '--file', file, '--line', '9', '--column', '5', '--max-tokens', '8', '--seed', '1', '--template', 'qwen-fim']));
    assert.equal(out.model, engine.model);
    assert.equal(out.template, 'qwen-fim');
    assert.equal(out.timings.outputTokens, 8);
    assert.equal(out.finishReason, 'length');
    assert.ok(out.promptTokens > 0);
    // Our count (the Qwen tokenizer in JS) is the count the server's tokenizer made.
    assert.equal(out.serverPromptTokens, out.promptTokens);
    assert.ok(out.timings.ttftMs! > 0);
    assert.ok(out.timings.e2eMs! >= out.timings.ttftMs!);
    assert.ok(out.timings.decodeTokensPerSec! > 0);
    assert.equal(typeof out.raw, 'string');
    assert.ok(out.raw.length > 0);
    // The 8 lines before the cursor fit; the text after it gets at most a quarter of the budget.
    assert.equal(out.truncated.prefixLines, 0);
    assert.ok(out.truncated.suffixLines > 0);
  });

  it('cuts a prompt far longer than the engine\'s context, and the engine accepts it', async () => {
    const file = path.join(dir, 'huge.py');
    const text = pythonModule(5000); // 20k lines
    fs.writeFileSync(file, text);
    const lines = text.split('\n').length - 1;
    assert.ok(lines >= 20_000);
    const out = parseOne(await cli(['--endpoint', engine.url, '--file', file, '--line', String(lines - 100), '--column', '1', '--budget', '1000000', '--max-tokens', '16']));
    assert.ok(out.promptTokens <= engine.maxModelLen - 16 - 8, `${out.promptTokens} tokens over max_model_len ${engine.maxModelLen}`);
    assert.ok(out.promptTokens > engine.maxModelLen * 0.8, 'the context is filled, not starved');
    assert.equal(out.serverPromptTokens, out.promptTokens);
    assert.ok(out.truncated.prefixLines > 15_000);
    assert.equal(out.timings.outputTokens, 16);
  });

  it('prefix-only template sends no suffix; errors are one line with the right exit code', async () => {
    const file = path.join(dir, 'small.py');
    fs.writeFileSync(file, pythonModule(3));
    const out = parseOne(await cli(['--endpoint', engine.url, '--file', file, '--line', '5', '--column', '1', '--template', 'prefix-only', '--max-tokens', '4']));
    assert.equal(out.template, 'prefix-only');
    // tiny-qwen2 is a Qwen base model (not Coder): prefix-only is its documented choice, no warning.
    assert.doesNotMatch(out.warnings.join(), /would also use the text after the cursor/);

    const badLine = await cli(['--endpoint', engine.url, '--file', file, '--line', '999', '--column', '1']);
    assert.equal(badLine.code, 2);
    assert.match(badLine.stderr, /^completion-lab: .*line 999 is out of range: the file has \d+ lines\.\n$/);
    const missing = await cli(['--endpoint', engine.url, '--file', path.join(dir, 'nope.py'), '--line', '1', '--column', '1']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /file not found/);
    const wrongModel = await cli(['--endpoint', engine.url, '--model', 'gpt-9', '--file', file, '--line', '1', '--column', '1']);
    assert.equal(wrongModel.code, 1);
    assert.match(wrongModel.stderr, new RegExp(`does not serve "gpt-9"; it serves "${engine.model}"`));
    assert.doesNotMatch(wrongModel.stderr + badLine.stderr + missing.stderr, /\n\s+at /, 'no stack traces');
    const usage = await cli(['--endpoint', engine.url, '--file', file]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--line is required/);
  });

  it('a file starting with an empty line answers at every line (CLI and completeAt)', async () => {
    const file = path.join(dir, 'leading-newline.py');
    const text = '\nimport os\n';
    fs.writeFileSync(file, text);
    for (const template of ['qwen-fim', 'prefix-only']) {
      const out = parseOne(await cli(['--endpoint', engine.url, '--file', file, '--line', '2', '--column', '10', '--template', template, '--max-tokens', '4']));
      assert.equal(out.timings.outputTokens, 4, `${template}: the engine answered`);
      assert.equal(out.serverPromptTokens, out.promptTokens);
    }
    const resolved = resolveFor({ name: 't', endpoint: engine.url, template: 'qwen-fim', maxTokens: 2 }, { id: engine.model, maxModelLen: engine.maxModelLen });
    for (let offset = 0; offset <= text.length; offset++) {
      const r = await completeAt({ text, offset, languageId: 'python', resolved, budgetTokens: 256 });
      assert.equal(r.context.prefix, text.slice(0, offset));
      assert.equal(r.context.suffix, text.slice(offset));
      assert.equal(r.result.timings.outputTokens, 2);
    }
  });

  it('"auto" on a served name it cannot place: prefix-only, and a warning on stderr that says how to choose', async () => {
    const file = path.join(dir, 'aliased.py');
    fs.writeFileSync(file, pythonModule(3));
    // A user's GGUF under a name of their own: the tiny model's file, copied (the engine
    // reports the file as the model's root, so the copy's name is all there is to go by).
    const models = (await (await fetch(`${engine.url}/v1/models`)).json()) as { data: { root: string }[] };
    const gguf = path.join(dir, 'my-coder.gguf');
    fs.copyFileSync(models.data[0]!.root, gguf);
    const aliased = await startEngine({ model: gguf });
    try {
      const at = ['--endpoint', aliased.url, '--file', file, '--line', '5', '--column', '1', '--max-tokens', '2'];
      const run = await cli(at);
      const out = parseOne(run);
      assert.equal(out.model, 'my-coder');
      assert.equal(out.template, 'prefix-only');
      assert.equal(out.warnings.length, 1);
      assert.match(run.stderr, /^completion-lab complete: warning: .*template "auto" does not recognise the model's family from its names \("my-coder", ".*my-coder\.gguf"\).*"qwen-fim"/);
      const chosen = await cli([...at, '--template', 'prefix-only']);
      assert.deepEqual(parseOne(chosen).warnings, []);
      assert.equal(chosen.stderr, '', 'an explicit choice is quiet');
    } finally {
      await aliased.stop();
    }
  });

  it('server unreachable: one line, exit 1', async () => {
    const file = path.join(dir, 'small.py');
    const stopped = await startEngine();
    const url = stopped.url;
    await stopped.stop();
    const run = await cli(['--endpoint', url, '--file', file, '--line', '1', '--column', '1']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /connection refused|Cannot connect/i);
  });
});

describe('complete: <think> from the model is never shown', function () {
  this.timeout(180_000);
  let engine: StartedEngine;
  before(async () => {
    engine = await startEngine({ tinyOptions: { favorToken: '<think>' } });
  });
  after(async () => {
    await engine?.stop();
  });

  it('raw output has <think>, the shown text has none (CLI and completeAt)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-think-'));
    try {
      const file = path.join(dir, 'a.py');
      fs.writeFileSync(file, pythonModule(5));
      const out = parseOne(await cli(['--endpoint', engine.url, '--file', file, '--line', '6', '--column', '5', '--max-tokens', '12']));
      assert.ok(out.raw.includes('<think>'), `raw: ${JSON.stringify(out.raw)}`);
      assert.ok(out.text === null || !out.text.includes('<think>'), `text: ${JSON.stringify(out.text)}`);

      const text = fs.readFileSync(file, 'utf8');
      const res = await completeAt({
        text,
        offset: text.indexOf('    return'),
        languageId: 'python',
        resolved: resolveFor({ name: 'think', endpoint: engine.url, template: 'prefix-only', maxTokens: 12 }, { id: engine.model, maxModelLen: engine.maxModelLen }),
        budgetTokens: 512,
      });
      assert.ok(res.raw.includes('<think>'));
      assert.ok(res.text === undefined || !res.text.includes('<think>'));
      assert.equal(res.result.timings.outputTokens, 12);
      assert.equal(res.result.usage?.promptTokens, res.context.promptTokens);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
