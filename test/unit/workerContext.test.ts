// Prompts built in the worker thread (dist/contextWorker.js, as the extension does) are the
// prompts the in-process builder makes, errors keep their class, and a dead worker is
// replaced on the next request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildContext, ContextError, type ContextInput } from '../../src/core/context/buildContext';
import { WorkerContextBuilder } from '../../src/extension/workerContext';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const script = path.join(repoRoot, 'dist', 'contextWorker.js');

describe('prompt building in a worker thread', function () {
  this.timeout(60000);
  let builder: WorkerContextBuilder;
  before(() => assert.ok(fs.existsSync(script), `${script} is missing: run "npm run build" first`));
  beforeEach(() => (builder = new WorkerContextBuilder(script)));
  afterEach(() => builder.dispose());

  const text = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'pipeline', 'completeAt.ts'), 'utf8');
  const input: ContextInput = { text, offset: Math.floor(text.length / 2), budgetTokens: 300, maxTokens: 32, template: { kind: 'qwen-fim' } };

  it('builds the same prompt, cut to the same budget, as the in-process builder', async () => {
    const fromWorker = await builder.build(input);
    assert.deepEqual(fromWorker, buildContext(input));
    assert.ok(fromWorker.promptTokens <= 300 && fromWorker.truncatedPrefixLines > 0);
    assert.equal(builder.built, 1);
  });

  it('answers "no room" as a ContextError with its message', async () => {
    await assert.rejects(builder.build({ ...input, maxModelLen: 40 }), (err: Error) => err instanceof ContextError && /No room for any code/.test(err.message));
  });

  it('starts a new worker after the old one died', async () => {
    await builder.warm();
    const worker = (builder as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    const again = await builder.build(input);
    assert.equal(again.prompt, buildContext(input).prompt);
  });
});
