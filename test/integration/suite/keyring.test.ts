// VS Code's secret storage failing (a locked or missing OS keyring: not an answer from the
// server) while the user types, in a real extension host, against the real engine. The
// provider is built from the extension's own parts (providerParts.ts); only the secret
// storage is a stand-in, failing with the message libsecret gives for a locked keyring.
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { log } from '../../../src/extension/log';
import { buildProvider, MemorySecrets, neverCancelled, typingContext, type ProviderParts } from './providerParts';
import { closeAllEditors, engineUrl, openFixture, setProfiles, waitFor } from './util';

const KEYSTROKES = 150;

describe('a secret storage that fails (a locked keyring)', function () {
  this.timeout(90_000);
  let parts: ProviderParts | undefined;
  let restoreWarn: (() => void) | undefined;

  before(async () => setProfiles([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny', { debounceMs: 50 }));
  after(async () => {
    restoreWarn?.();
    await parts?.dispose();
    await closeAllEditors();
  });

  it('says once what to do, backs off instead of reading it per keystroke, and resumes by itself', async () => {
    // What this window's log channel is told (the parts log through the same module).
    const warnings: string[] = [];
    const channel = log();
    const warn = channel.warn.bind(channel) as (msg: string, ...args: unknown[]) => void;
    channel.warn = (msg: string, ...args: unknown[]) => { warnings.push(msg); warn(msg, ...args); };
    restoreWarn = () => { channel.warn = warn; };

    const secrets = new MemorySecrets();
    secrets.failure = new Error('Cannot create an item in a locked collection');
    parts = buildProvider({ name: 'keyed', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 4, apiKeyName: 'team-key' }, secrets);
    const editor = await openFixture('main.py');
    const doc = editor.document;
    const pos = doc.lineAt(doc.lineCount - 1).range.end;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t0 = Date.now();
    let shown = 0;
    for (let i = 0; i < KEYSTROKES; i++) {
      if ((await parts.provider.provideInlineCompletionItems(doc, pos, typingContext, neverCancelled))?.length) shown++;
      await new Promise((r) => setTimeout(r, 20));
    }
    delay.disable();
    const seconds = (Date.now() - t0) / 1000;
    console.log(`${process.env.COMPLETION_LAB_TEST_CONSOLE_MARK ?? ''}      (${KEYSTROKES} keystrokes in ${seconds.toFixed(1)} s, ${secrets.reads} keyring reads, longest event-loop delay ${(delay.max / 1e6).toFixed(0)} ms)`);

    assert.equal(shown, 0);
    assert.equal(parts.provider.requests, 0, 'no request without the key');
    // Backing off 1 s, 2 s, 4 s ...: a handful of reads, not one per keystroke.
    assert.ok(secrets.reads >= 2, `it tried again (${secrets.reads} reads)`);
    assert.ok(secrets.reads <= 2 + Math.ceil(Math.log2(seconds + 1)), `${secrets.reads} keyring reads in ${seconds.toFixed(1)} s of typing: backs off`);

    const server = parts.stats.server;
    assert.equal(server.kind, 'error', 'the status bar shows a warning (it draws from this state)');
    assert.match(server.message ?? '', /Could not read the API key "team-key" of profile "keyed" from VS Code's secret storage \(Cannot create an item in a locked collection\)/);
    assert.match(server.message ?? '', /Unlock or set up your system keyring/, 'says what to do');
    const aboutKey = warnings.filter((w) => w.includes('team-key'));
    assert.equal(aboutKey.length, 1, `logged once, not per keystroke or retry: ${aboutKey.join(' | ')}`);
    assert.deepEqual(parts.told, [], 'no other message about the key');

    // The keyring is unlocked: completions come back without a reload.
    secrets.failure = undefined;
    const items = await waitFor(() => parts!.provider.provideInlineCompletionItems(doc, pos, typingContext, neverCancelled).then((r) => r?.length ? r : undefined), 40_000, 'a completion once the key can be read');
    assert.ok(items.length > 0);
    assert.doesNotMatch(parts.stats.server.message ?? '', /team-key/, 'the warning is gone');
    assert.equal(warnings.filter((w) => w.includes('team-key')).length, 1, 'nothing more logged about it');
  });
});
