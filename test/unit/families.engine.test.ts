// Each family through completeAt against the real embedded engine serving under the
// family's model id (--served-model-name): detection from /v1/models, the family's prompt
// and its stop strings in the request the server accepted.
import * as assert from 'node:assert/strict';
import { listModels } from '../../src/core/client/models';
import { streamCompletion } from '../../src/core/client/stream';
import type { CompletionRequest } from '../../src/core/client/types';
import { completeAt, resolveFor } from '../../src/core/pipeline/completeAt';
import { startEngine } from '../support/engine';
import { FAMILY_CASES } from '../support/familyCases';

describe('model families against the real engine', function () {
  this.timeout(300_000);

  for (const c of FAMILY_CASES) {
    it(`served as ${c.id}: ${c.template} prompt and its stop strings reach the server`, async () => {
      const engine = await startEngine({ args: ['--served-model-name', c.id] });
      try {
        const listed = (await listModels(engine.url, { timeoutMs: 5000 }))[0]!;
        assert.equal(listed.id, c.id);
        // The engine's root names the file it really loaded (a tiny Qwen2), and root wins over
        // the id, rightly: keep only the id, as a server that does not report root gives it.
        const served = { id: listed.id, ...(listed.maxModelLen !== undefined ? { maxModelLen: listed.maxModelLen } : {}) };
        const sent: CompletionRequest[] = [];
        const out = await completeAt({
          text: 'def add(a, b):\n    \n\nprint(add(1, 2))\n',
          offset: 19,
          languageId: 'python',
          resolved: resolveFor({ name: c.family, endpoint: engine.url, template: 'auto', maxTokens: 4 }, served),
          budgetTokens: 256,
          client: (req) => (sent.push(req), streamCompletion(req)),
        });
        assert.equal(out.effective.family, c.family);
        assert.equal(out.effective.template, c.template);
        assert.ok(sent[0]!.prompt.startsWith(c.opens), `prompt starts as ${c.template} does: ${JSON.stringify(sent[0]!.prompt.slice(0, 40))}`);
        assert.ok(sent[0]!.prompt.includes('def add(a, b):'));
        assert.ok(sent[0]!.stop?.includes(c.stop), `request stop strings: ${sent[0]!.stop?.join(' ')}`);
        assert.equal(out.result.timings.outputTokens, 4, 'the server accepted the request and generated');
      } finally {
        await engine.stop();
      }
    });
  }
});
