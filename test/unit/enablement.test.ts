import * as assert from 'node:assert/strict';
import { DEFAULT_LANGUAGES, enablement, languageEnabled } from '../../src/extension/enablement';
import { renderStatus } from '../../src/extension/statusModel';

describe('where and when completions run', () => {
  const base = { enabled: true, languages: DEFAULT_LANGUAGES, snoozeUntil: undefined, now: 1_000_000 };

  it('the default languages are off for prose, commit messages and plain text, on for code', () => {
    for (const id of ['markdown', 'plaintext', 'scminput']) assert.equal(languageEnabled(DEFAULT_LANGUAGES, id), false, id);
    for (const id of ['python', 'typescript', 'rust']) assert.equal(languageEnabled(DEFAULT_LANGUAGES, id), true, id);
  });

  it('a language\'s own entry wins over "*"; no "*" means on; non-boolean entries are ignored', () => {
    assert.equal(languageEnabled({ '*': false, python: true }, 'python'), true);
    assert.equal(languageEnabled({ '*': false, python: true }, 'go'), false);
    assert.equal(languageEnabled({ markdown: false }, 'go'), true);
    assert.equal(languageEnabled({ '*': true, go: 'no' }, 'go'), true);
  });

  it('the switch, then the snooze, then the language decide, and say why', () => {
    assert.deepEqual(enablement(base, 'python'), { on: true });
    assert.deepEqual(enablement({ ...base, enabled: false, snoozeUntil: base.now + 5 }, 'python'), { on: false, why: 'disabled' });
    assert.deepEqual(enablement({ ...base, snoozeUntil: base.now + 5 }, 'python'), { on: false, why: 'snoozed', until: base.now + 5 });
    assert.deepEqual(enablement({ ...base, snoozeUntil: base.now }, 'python'), { on: true }, 'a snooze ends at its time');
    assert.deepEqual(enablement(base, 'markdown'), { on: false, why: 'language' });
  });

  it('the status bar says until when completions are snoozed, with a way to resume', () => {
    const view = renderStatus({ kind: 'off', until: new Date(2026, 0, 1, 14, 30).getTime() });
    assert.match(view.text, /snoozed until (14:30|0?2:30 PM)/); // in the display locale's clock
    assert.match(view.tooltip, /command:completionLab\.toggle/);
  });
});
