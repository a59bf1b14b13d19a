import * as assert from 'node:assert/strict';
import { detectFamily, profilesToOffer, QWEN_STOP_TOKEN_IDS, resolveProfile, suggestedProfiles, templateOptions, validateProfiles } from '../../src/core/profiles';
import type { ModelProfile } from '../../src/core/profiles';

describe('profiles: validation of the completionLab.profiles setting', () => {
  it('accepts the package.json default and fills template "auto"', () => {
    const { profiles, errors } = validateProfiles([{ name: 'local vLLM', endpoint: 'http://127.0.0.1:8000', model: '', template: 'auto' }]);
    assert.deepEqual(errors, []);
    assert.deepEqual(profiles, [{ name: 'local vLLM', endpoint: 'http://127.0.0.1:8000', template: 'auto' }]);
  });

  it('names the profile and the field, and drops a profile whose endpoint has no scheme', () => {
    const { profiles, errors } = validateProfiles([
      { name: 'r1', endpoint: 'http://h:8000' },
      { name: 'qwen', endpoint: 'localhost:8000' },
    ]);
    assert.deepEqual(profiles.map((p) => p.name), ['r1']);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^Profile 2 \("qwen"\): endpoint "localhost:8000" must start with http:\/\/ or https:\/\/\./);
  });

  it('reports duplicate names, keeps the first', () => {
    const { profiles, errors } = validateProfiles([
      { name: 'a', endpoint: 'http://one:1' },
      { name: 'a', endpoint: 'http://two:2' },
    ]);
    assert.deepEqual(profiles.map((p) => p.endpoint), ['http://one:1']);
    assert.match(errors[0]!, /Profile 2 \("a"\): the name "a" is already used by profile 1/);
  });

  it('falls back to defaults for bad optional fields, one message each, and never throws', () => {
    const { profiles, errors } = validateProfiles([
      { name: 'x', endpoint: 'https://x', template: 'fim', temperature: 5, topP: 0, maxTokens: 1.5, stop: 'END', surprise: 1 },
    ]);
    assert.equal(profiles.length, 1);
    const p = profiles[0]!;
    assert.equal(p.template, 'auto');
    assert.equal(p.temperature, undefined);
    assert.equal(p.topP, undefined);
    assert.equal(p.maxTokens, undefined);
    assert.equal(p.stop, undefined);
    const joined = errors.join('\n');
    assert.match(joined, /template "fim" is not one of "auto", "prefix-only", "qwen-fim", "starcoder2-fim", "deepseek-fim", "codellama-fim", "codestral-fim", "codegemma-fim", "custom"/);
    assert.match(joined, /temperature 5 must be a number from 0 to 2/);
    assert.match(joined, /topP 0 must be a number above 0/);
    assert.match(joined, /maxTokens 1.5 must be a whole number from 1 to 4096/);
    assert.match(joined, /"stop" must be a list of strings/);
    assert.match(joined, /unknown field "surprise"/);
    for (const bad of [undefined, null, 'x', 3, {}, [null, 1, 'a', []]]) assert.doesNotThrow(() => validateProfiles(bad));
    assert.match(validateProfiles({}).errors[0]!, /must be a list of profiles/);
    assert.match(validateProfiles([{ endpoint: 'http://h' }]).errors[0]!, /Profile 1: "name" is missing/);
  });

  it('requires {prefix} in a custom template', () => {
    const { profiles, errors } = validateProfiles([{ name: 'c', endpoint: 'http://h', template: 'custom', customTemplate: 'code: {suffix}' }]);
    assert.equal(profiles[0]!.template, 'auto');
    assert.match(errors[0]!, /customTemplate must contain \{prefix\}/);
    const ok = validateProfiles([{ name: 'c', endpoint: 'http://h', template: 'custom', customTemplate: '<pre>{prefix}<suf>{suffix}<mid>' }]);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.profiles[0]!.template, 'custom');
  });
});

describe('profiles: model family from real served model ids', () => {
  it('recognises DeepSeek-R1-Distill, Qwen2.5(-Coder), instruct models and unknown ones', () => {
    assert.deepEqual(detectFamily('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B'), { family: 'deepseek-r1-distill', instruct: false, matchedName: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' });
    assert.equal(detectFamily('Qwen/Qwen2.5-Coder-1.5B').family, 'qwen');
    assert.equal(detectFamily('Qwen/Qwen2.5-1.5B').family, 'qwen');
    assert.equal(detectFamily('Qwen/Qwen2-1.5B').family, 'qwen');
    assert.deepEqual(detectFamily('Qwen/Qwen2.5-Coder-1.5B-Instruct').instruct, true);
    assert.equal(detectFamily('Qwen/Qwen2.5-Coder-1.5B-Instruct').family, 'qwen');
    assert.equal(detectFamily('meta-llama/Llama-3.2-1B').family, 'unknown');
    assert.equal(detectFamily('r1').family, 'unknown');
  });

  it('looks through a served alias to vLLM\'s root', () => {
    assert.equal(detectFamily({ id: 'r1', root: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' }).family, 'deepseek-r1-distill');
    assert.equal(detectFamily({ id: 'coder', root: '/models/Qwen2.5-Coder-1.5B' }).family, 'qwen');
  });
});

describe('profiles: effective settings', () => {
  const base: ModelProfile = { name: 'p', endpoint: 'http://h:8000', template: 'auto' };

  it('R1-distill: prefix-only, temperature 0.6, top_p 0.95, strips think, no warnings', () => {
    const e = resolveProfile(base, { id: 'r1', root: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' });
    assert.equal(e.model, 'r1');
    assert.equal(e.template, 'prefix-only');
    assert.equal(e.temperature, 0.6);
    assert.equal(e.topP, 0.95);
    assert.equal(e.maxTokens, 64);
    assert.equal(e.stripThink, true);
    assert.deepEqual(e.stopTokenIds, []);
    assert.deepEqual(e.warnings, []);
  });

  it('Qwen2.5-Coder: Qwen FIM with its stop ids and strings, temperature 0.2', () => {
    const e = resolveProfile(base, 'Qwen/Qwen2.5-Coder-1.5B');
    assert.equal(e.template, 'qwen-fim');
    assert.equal(e.temperature, 0.2);
    assert.deepEqual(e.stopTokenIds, [151643, 151645, 151659, 151660, 151661, 151662, 151663, 151664]);
    assert.deepEqual(e.stopTokenIds, [...QWEN_STOP_TOKEN_IDS]);
    assert.ok(e.stop.includes('<|endoftext|>') && e.stop.includes('<|fim_prefix|>') && e.stop.includes('<|file_sep|>'));
    assert.deepEqual(e.warnings, []);
  });

  it('profile values win over family defaults; user stop strings are added', () => {
    const e = resolveProfile({ ...base, temperature: 0, topP: 0.5, maxTokens: 16, stop: ['\n\n'] }, 'Qwen/Qwen2.5-1.5B');
    assert.equal(e.temperature, 0);
    assert.equal(e.topP, 0.5);
    assert.equal(e.maxTokens, 16);
    assert.ok(e.stop.includes('\n\n'));
  });

  it('warns when the template does not fit the family, or the model is instruct-tuned', () => {
    const fimOnR1 = resolveProfile({ ...base, template: 'qwen-fim' }, 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B');
    assert.equal(fimOnR1.template, 'qwen-fim');
    assert.match(fimOnR1.warnings.join(), /nothing says it was trained for FIM/);
    const prefixOnCoder = resolveProfile({ ...base, template: 'prefix-only' }, 'Qwen/Qwen2.5-Coder-1.5B');
    assert.match(prefixOnCoder.warnings.join(), /would also use the text after the cursor/);
    const instruct = resolveProfile(base, 'Qwen/Qwen2.5-Coder-1.5B-Instruct');
    assert.match(instruct.warnings.join(), /instruct\/chat model.*complete raw code poorly/);
    // Which of them another template answers (the status bar links to choosing one).
    assert.equal(fimOnR1.templateMismatch, true);
    assert.equal(prefixOnCoder.templateMismatch, true);
    assert.equal(instruct.templateMismatch, undefined);
    assert.equal(resolveProfile(base, 'my-coder').templateMismatch, true);
  });

  it('"auto" on a model it cannot place says it fell back to prefix-only and how to choose; an explicit choice is quiet', () => {
    // A GGUF file named by its user, served under an alias with no checkpoint path.
    const unknown = resolveProfile(base, { id: 'my-coder', root: '/models/run7-step8500.gguf' });
    assert.equal(unknown.template, 'prefix-only');
    assert.equal(unknown.warnings.length, 1);
    assert.match(unknown.warnings[0]!, /template "auto".*"my-coder".*run7-step8500\.gguf.*prefix-only/);
    assert.match(unknown.warnings[0]!, /trained for fill-in-the-middle.*"template".*"qwen-fim"/);
    assert.match(unknown.warnings[0]!, /set "prefix-only"/);
    assert.deepEqual(resolveProfile({ ...base, template: 'prefix-only' }, 'my-coder').warnings, []);
    // A known family whose documented format is prefix-only is not a fallback.
    assert.deepEqual(resolveProfile(base, 'Qwen/Qwen2.5-1.5B').warnings, []);
  });

  it('suggests profiles only for known families', () => {
    assert.deepEqual(suggestedProfiles('http://h', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B').map((p) => p.template), ['prefix-only']);
    assert.deepEqual(suggestedProfiles('http://h', 'Qwen/Qwen2.5-Coder-1.5B').map((p) => p.template), ['qwen-fim', 'prefix-only']);
    assert.deepEqual(suggestedProfiles('http://h', 'mystery'), []);
    // A suggestion passes validation as it is.
    assert.deepEqual(validateProfiles(suggestedProfiles('http://h', 'Qwen/Qwen2.5-Coder-1.5B')).errors, []);
  });

  it('offers, for a model of no known family, prefix-only first and each FIM format to choose, none of them "auto" (which would warn)', () => {
    const offered = profilesToOffer('http://h', { id: 'my-coder', root: '/models/my-coder.gguf' });
    assert.deepEqual(offered.map((o) => o.profile.template), ['prefix-only', 'qwen-fim', 'starcoder2-fim', 'deepseek-fim', 'codellama-fim', 'codestral-fim', 'codegemma-fim']);
    assert.ok(offered.every((o) => o.profile.model === 'my-coder' && o.profile.endpoint === 'http://h'));
    assert.equal(new Set(offered.map((o) => o.profile.name)).size, offered.length, 'names are unique');
    assert.match(offered[0]!.note!, /family is not recognised/);
    assert.match(offered[1]!.note!, /only if the model was trained with these tokens/);
    for (const o of offered) assert.deepEqual(resolveProfile(o.profile, { id: 'my-coder' }).warnings.filter((w) => /"auto"/.test(w)), []);
    assert.deepEqual(validateProfiles(offered.map((o) => o.profile)).errors, []);
    // vLLM's root tells an alias's family.
    assert.deepEqual(profilesToOffer('http://h', { id: 'r1', root: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' }).map((o) => o.profile.name), ['r1 (prefix-only)']);
    // A known family gets its suggestions, with no note.
    assert.deepEqual(profilesToOffer('http://h', 'Qwen/Qwen2.5-Coder-1.5B').map((o) => [o.profile.template, o.note]), [['qwen-fim', undefined], ['prefix-only', undefined]]);
  });
});

describe('profiles: the templates offered for a profile', () => {
  it('puts the one that fits the served model first and marks the current one; recommends nothing it cannot place', () => {
    const coder = templateOptions('prefix-only', { id: 'q', root: 'Qwen/Qwen2.5-Coder-1.5B' });
    assert.deepEqual(coder.map((o) => o.template), ['qwen-fim', 'auto', 'prefix-only', 'starcoder2-fim', 'deepseek-fim', 'codellama-fim', 'codestral-fim', 'codegemma-fim']);
    assert.deepEqual(coder.filter((o) => o.recommended).map((o) => o.template), ['qwen-fim']);
    assert.deepEqual(coder.filter((o) => o.current).map((o) => o.template), ['prefix-only']);
    // The tiny test model is a Qwen base model: prefix-only fits it.
    assert.equal(templateOptions('qwen-fim', { id: 'tiny-qwen2' })[0]!.template, 'prefix-only');
    for (const served of [{ id: 'my-coder' }, undefined]) {
      const none = templateOptions('auto', served);
      assert.equal(none.filter((o) => o.recommended).length, 0);
      assert.equal(none[0]!.template, 'auto');
    }
    // Each offered choice, applied, leaves no template warning on the model it was recommended for.
    assert.deepEqual(resolveProfile({ name: 'p', endpoint: 'http://h', template: coder[0]!.template }, 'Qwen/Qwen2.5-Coder-1.5B').warnings, []);
  });
});
