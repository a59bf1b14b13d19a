// Model families from real served model ids: detection, the FIM format 'auto' picks, its
// prompt and its stop strings, and the warning when a template does not fit the model.
import * as assert from 'node:assert/strict';
import { renderPrompt } from '../../src/core/context/templates';
import { detectFamily, resolveProfile, suggestedProfiles, type ModelProfile } from '../../src/core/profiles';
import { FAMILY_CASES } from '../support/familyCases';
import { BUNDLED_MODEL_FILE, BUNDLED_MODEL_NAME } from '../../src/core/engine/bundledModel';

const base: ModelProfile = { name: 'p', endpoint: 'http://h:8000', template: 'auto' };


describe('model families', () => {
  for (const c of FAMILY_CASES) {
    it(`${c.id}: ${c.family}, auto picks ${c.template}, with its stop strings and no warning`, () => {
      assert.equal(detectFamily(c.id).family, c.family);
      const e = resolveProfile(base, c.id);
      assert.equal(e.template, c.template);
      assert.equal(renderPrompt({ kind: e.template }, 'P', 'S'), c.prompt);
      assert.ok(e.stop.includes(c.stop), `stop has ${c.stop}: ${e.stop.join(' ')}`);
      assert.deepEqual(e.warnings, []);
      assert.deepEqual(suggestedProfiles('http://h', c.id).map((p) => p.template), [c.template, 'prefix-only']);
    });
  }

  it('DeepSeek-Coder\'s tokens use full-width bars (U+FF5C) and U+2581, not ASCII', () => {
    const p = renderPrompt({ kind: 'deepseek-fim' }, '', '');
    assert.ok(p.includes('\uFF5Cfim\u2581begin\uFF5C') && !p.includes('|'));
  });

  it('the bundled model is known as FIM-trained Qwen: auto picks qwen-fim, and choosing it warns of nothing', () => {
    for (const served of [BUNDLED_MODEL_NAME, { id: 'embedded', root: `/home/u/.vscode/extensions/x/models/${BUNDLED_MODEL_FILE}` }]) {
      assert.equal(detectFamily(served).family, 'qwen');
      assert.equal(resolveProfile(base, served).template, 'qwen-fim');
      assert.deepEqual(resolveProfile({ ...base, template: 'qwen-fim' }, served).warnings, []);
    }
  });

  it('Qwen base, Math, Qwen1.5 and Qwen3 are recognised and get prefix-only unless FIM is chosen', () => {
    for (const id of ['Qwen/Qwen2.5-1.5B', 'Qwen/Qwen2.5-Math-1.5B', 'Qwen/Qwen1.5-1.8B', 'Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen2-1.5B']) {
      assert.equal(detectFamily(id).family, 'qwen', id);
      const e = resolveProfile(base, id);
      assert.equal(e.template, 'prefix-only', id);
      assert.deepEqual(e.warnings, [], id);
      const chosen = resolveProfile({ ...base, template: 'qwen-fim' }, id);
      assert.equal(chosen.template, 'qwen-fim', 'the user may choose FIM');
      assert.match(chosen.warnings.join(), /not documented as FIM-trained/);
    }
  });

  it('a template that does not fit the model is a visible warning', () => {
    const e = resolveProfile({ ...base, template: 'codellama-fim' }, 'bigcode/starcoder2-7b');
    assert.equal(e.template, 'codellama-fim');
    assert.match(e.warnings.join(), /"codellama-fim" does not fit a starcoder2 model, which was trained for "starcoder2-fim"/);
    assert.match(resolveProfile({ ...base, template: 'starcoder2-fim' }, 'some-model').warnings.join(), /not recognised/);
    assert.match(resolveProfile({ ...base, template: 'prefix-only' }, 'google/codegemma-2b').warnings.join(), /"codegemma-fim" \(or "auto"\) would also use the text after the cursor/);
  });
});
