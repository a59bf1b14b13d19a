// Limits every caller of the streaming client gets without asking: a cap on streamed text
// and a total timeout. Bad input no real engine produces (an answer far past max_tokens, a
// stall after one token), so a scripted socket server plays it.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientError } from '../../src/core/client/errors';
import { streamCap, streamCompletion } from '../../src/core/client/stream';
import { repoRoot } from '../support/engine';
import { httpAnswer, sseEvent, sseHead, startScriptedServer, textChunk, type ScriptedServer, type Step } from '../support/scriptedServer';

async function tooLarge(promise: Promise<unknown>): Promise<ClientError> {
  const err = await promise.then(
    () => assert.fail('expected the stream to be stopped'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ClientError, String(err));
  assert.equal(err.kind, 'too-large', err.message);
  assert.match(err.message, /max_tokens 64/);
  return err;
}

describe('streaming client: limits without asking', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('stops an answer far longer than max_tokens allows (20 MB for max_tokens 64) and closes the connection', async () => {
    const piece = sseEvent(textChunk('x'.repeat(100_000)));
    const steps: Step[] = [{ write: sseHead() }];
    for (let i = 0; i < 200; i++) steps.push({ write: piece });
    steps.push({ stall: true });
    server = await startScriptedServer(steps);
    let shown = 0;
    await tooLarge(streamCompletion({ endpoint: server.url, model: 'm', prompt: 'x', maxTokens: 64, onText: (d) => (shown += d.length) }));
    assert.ok(shown <= streamCap(64).chars, `no more than the cap was handed on (${shown} chars)`);
    await server.clientClosed();
  });

  it('stops one endless SSE line (no event ever completes) by the bytes received', async () => {
    const steps: Step[] = [{ write: sseHead() + 'data: {"choices": [{"text": "' }];
    for (let i = 0; i < 200; i++) steps.push({ write: 'y'.repeat(100_000) });
    steps.push({ stall: true });
    server = await startScriptedServer(steps);
    await tooLarge(streamCompletion({ endpoint: server.url, model: 'm', prompt: 'x', maxTokens: 64 }));
    await server.clientClosed();
  });

  it('the CLI gives up on a stream that stalls after one token, with a clear message (exit 1)', async () => {
    const models = JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model', owned_by: 'vllm', max_model_len: 4096 }] });
    server = await startScriptedServer((n) => (n === 0 ? httpAnswer(200, 'OK', models) : [{ write: sseHead() + sseEvent(textChunk('def')) }, { stall: true }]));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-stall-'));
    const file = path.join(dir, 'a.py');
    fs.writeFileSync(file, 'def f(x):\n    return \n');
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'complete', '--endpoint', server!.url, '--file', file, '--line', '2', '--column', '12', '--timeout-ms', '1500'], { timeout: 60_000 }, (err, _out, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stderr });
      });
    });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /took longer than 1500 ms/);
    await server.clientClosed();
  });
});
