// The tiny test model generator: deterministic bytes, a valid GGUF header, one cached
// file per option set, and (served) a favoured token really comes out of the model.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGgufHeader } from '../../src/core/testModel/ggufHeader';
import { ensureTinyModel, tinyModelFileName, writeTinyModel } from '../../src/core/testModel/tinyModel';
import { repoRoot, startEngine } from '../support/engine';

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('tiny Qwen2 model generator', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-model-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same bytes for the same seed, different bytes for another seed', () => {
    const a = path.join(dir, 'a.gguf');
    const b = path.join(dir, 'b.gguf');
    const c = path.join(dir, 'c.gguf');
    writeTinyModel(a, { seed: 7 });
    writeTinyModel(b, { seed: 7 });
    writeTinyModel(c, { seed: 8 });
    assert.equal(sha256(a), sha256(b));
    assert.notEqual(sha256(a), sha256(c));
  });

  it('writes a GGUF v3 file with the expected tensors (2 layers x 12 + embeddings, norm, output bias)', () => {
    const file = path.join(dir, 'h.gguf');
    const bytes = writeTinyModel(file, { seed: 1 });
    assert.equal(fs.statSync(file).size, bytes);
    const header = readGgufHeader(file);
    assert.equal(header.version, 3);
    assert.equal(header.tensorCount, 2 * 12 + 3);
    assert.ok(header.metadataCount > 20);
    assert.equal(fs.readFileSync(file).subarray(0, 4).toString('latin1'), 'GGUF');
    // Without muted EOS there is no output.bias tensor.
    const plain = path.join(dir, 'plain.gguf');
    writeTinyModel(plain, { seed: 1, noEos: false });
    assert.equal(readGgufHeader(plain).tensorCount, 2 * 12 + 2);
  });

  it('rejects a non-GGUF file with a clear message', () => {
    const junk = path.join(dir, 'junk.gguf');
    fs.writeFileSync(junk, 'not a model at all, just text');
    assert.throws(() => readGgufHeader(junk), /is not a GGUF file/);
  });

  it('caches one file per option set', () => {
    const first = ensureTinyModel(dir, { favorToken: '<think>' });
    const mtime = fs.statSync(first).mtimeMs;
    assert.equal(ensureTinyModel(dir, { favorToken: '<think>' }), first);
    assert.equal(fs.statSync(first).mtimeMs, mtime, 'not rewritten');
    assert.notEqual(ensureTinyModel(dir, {}), first);
    assert.equal(tinyModelFileName({}), tinyModelFileName({ seed: 1, noEos: true }), 'defaults hash like explicit defaults');
  });

  it('refuses a favorToken that is not one Qwen token', () => {
    assert.throws(() => writeTinyModel(path.join(dir, 'x.gguf'), { favorToken: 'not one token at all' }), /not one token/);
  });

  it('CLI: tiny-model --out writes the file and prints JSON', () => {
    const out = path.join(dir, 'cli.gguf');
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'tiny-model', '--out', out, '--seed', '3'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as { file: string; bytes: number };
    assert.equal(printed.file, out);
    assert.equal(printed.bytes, fs.statSync(out).size);
    const same = path.join(dir, 'same.gguf');
    writeTinyModel(same, { seed: 3 });
    assert.equal(sha256(out), sha256(same));
  });

  it('CLI: serve with a missing GGUF says so in one line and exits 2', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'serve', '--model', path.join(dir, 'nope.gguf')], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /GGUF file not found: .*nope\.gguf\. Pass --model with a path to a \.gguf file, or --tiny for the test model\./);
  });

  it('served with favorToken "<think>", the model emits <think> (a real R1-style leak)', async () => {
    const engine = await startEngine({ tinyOptions: { favorToken: '<think>' } });
    try {
      const res = await fetch(`${engine.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'def f():', max_tokens: 3 }) });
      const json = (await res.json()) as { choices: { text: string }[] };
      assert.equal(json.choices[0]!.text, '<think><think><think>');
    } finally {
      await engine.stop();
    }
  });
});
