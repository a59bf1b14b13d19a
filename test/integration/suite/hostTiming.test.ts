// The extension host stays free while the extension works: prompts (and the tokenizer, a
// 1 s load) are built in a worker thread. Runs after the suites that type and compare, so
// the numbers it prints cover activation and typing; `npm run bench` reads that line
// (speed is never asserted here).
import * as assert from 'node:assert/strict';
import type { CompletionLabApi } from '../../../src/extension/api';
import { activateExtension } from './util';

describe('host timing', () => {
  it('builds every prompt in the worker thread and reports activation time and the longest host block', async () => {
    const api = (await activateExtension()).exports as CompletionLabApi;
    const t = api.hostTiming();
    assert.ok(api.counters().requests > 0, 'the earlier suites made completion requests');
    assert.ok(t.promptsBuiltInWorker >= api.counters().requests, `prompts built in the worker (${t.promptsBuiltInWorker}) cover every request (${api.counters().requests})`);
    assert.ok(t.watchedMs >= t.activationMs);
    // One line for the bench, through the runner's marked console.
    console.log(`${process.env.COMPLETION_LAB_TEST_CONSOLE_MARK ?? ''}host-timing ${JSON.stringify(t)}`);
  });
});
