// A stranger's repository in a real extension host: its settings name another endpoint and
// the user's key name, and a recording peer (a real HTTP listener that only notes what
// arrives) shows that no request and no key reach it while the user has not confirmed;
// the user's own profile keeps serving. Text from settings renders inert in the tooltip,
// and "Add a profile" writes to the user's settings only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import { activateExtension, closeAllEditors, engineUrl, openFixture, runTakingFirstPicks, waitFor, workspaceRoot } from './util';

interface Arrival { method: string; url: string; authorization?: string }

/** A listener that records every request (and its Authorization header) and answers 404. */
async function recordingPeer(): Promise<{ url: string; arrivals: Arrival[]; close(): Promise<void> }> {
  const arrivals: Arrival[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    req.resume();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, arrivals, close: () => new Promise((r) => server.close(() => r())) };
}

const cfg = () => vscode.workspace.getConfiguration('completionLab');
const userProfiles = () => [{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }];

async function api(): Promise<CompletionLabApi> {
  return (await activateExtension()).exports as CompletionLabApi;
}

describe("a repository's settings", function () {
  this.timeout(120_000);
  let peer: Awaited<ReturnType<typeof recordingPeer>>;

  before(async () => {
    peer = await recordingPeer();
    await cfg().update('profiles', userProfiles(), vscode.ConfigurationTarget.Global);
    await cfg().update('activeProfile', 'tiny', vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    await closeAllEditors();
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('activeProfile', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('profiles', userProfiles(), vscode.ConfigurationTarget.Global);
    await cfg().update('activeProfile', 'tiny', vscode.ConfigurationTarget.Global);
  });
  after(async () => peer.close());

  it('naming another endpoint and the user\'s key get no request and no key there until confirmed; the user\'s profile keeps serving', async () => {
    const a = await api();
    // What a cloned repository's .vscode/settings.json would say.
    await cfg().update('profiles', [{ name: 'repo', endpoint: peer.url, apiKeyName: 'tiny', launchCommand: 'echo pwned' }], vscode.ConfigurationTarget.Workspace);
    await cfg().update('activeProfile', 'repo', vscode.ConfigurationTarget.Workspace);
    const state = await waitFor(() => { const s = a.workspaceSettings(); return s.kind === 'withheld' ? s : undefined; }, 10_000, 'the workspace settings to be withheld');
    assert.deepEqual(state, { kind: 'withheld', why: 'unconfirmed', endpoints: [peer.url] });

    const before = a.counters().requests;
    const editor = await openFixture('main.py');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('type', { text: '\n\ndef mul(a, b):\n    ' });
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((r) => setTimeout(r, 300));
      return a.counters().requests > before;
    }, 60_000, 'a completion request to the user\'s own server');
    assert.match(a.status()?.tooltip ?? '', /profile \*tiny\*/, 'the status bar names the user\'s profile');
    assert.deepEqual(peer.arrivals, [], 'nothing (no /v1/models, no completion, no key) reached the repository\'s endpoint');
  });

  it('a profile name carrying a command link renders inert in the tooltip, which runs only this extension\'s commands', async () => {
    const a = await api();
    const name = 'tiny [run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20pwned%5Cn%22%7D)';
    await cfg().update('profiles', [{ ...userProfiles()[0], name }], vscode.ConfigurationTarget.Global);
    await cfg().update('activeProfile', name, vscode.ConfigurationTarget.Global);
    const status = await waitFor(() => { const s = a.status(); return s?.tooltip.includes('sendSequence') ? s : undefined; }, 15_000, 'the tooltip with the new profile name');
    assert.doesNotMatch(status.tooltip, /\]\(command:workbench/, 'the link syntax is escaped');
    assert.match(status.tooltip, /\\\[run\\\]\\\(command\\:workbench/);
    assert.ok(Array.isArray(status.enabledCommands), `isTrusted is a command list, not ${String(status.enabledCommands)}`);
    assert.deepEqual((status.enabledCommands as string[]).filter((c) => !c.startsWith('completionLab.')), []);
    assert.ok((status.enabledCommands as string[]).includes('completionLab.selectModel'), 'the tooltip\'s own links still work');
  });

  it('"Add a profile from a running server" writes to the user\'s settings, never the repository\'s', async () => {
    await api();
    await cfg().update('profiles', [...userProfiles(), { name: 'mine', endpoint: engineUrl(), apiKeyName: 'my-key', launchCommand: 'my-server --port 1' }], vscode.ConfigurationTarget.Global);
    const settingsFile = path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
    const workspaceFileBefore = fs.readFileSync(settingsFile, 'utf8');
    // The real picker of the server's models: accept its first entry once it is open.
    await runTakingFirstPicks('completionLab.selectModel', { addFromServer: engineUrl() }, 'the profile picker to be answered');
    const profiles = cfg().inspect<{ name: string; endpoint: string; launchCommand?: string }[]>('profiles');
    const added = (profiles?.globalValue ?? []).filter((p) => p.name !== 'tiny' && p.name !== 'mine');
    assert.equal(added.length, 1, `one profile added to the user's settings: ${JSON.stringify(profiles?.globalValue)}`);
    assert.equal(added[0]!.endpoint, engineUrl());
    assert.equal(profiles?.globalValue?.find((p) => p.name === 'mine')?.launchCommand, 'my-server --port 1', 'the user\'s own profiles are kept');
    assert.equal(profiles?.workspaceValue, undefined, 'no profile list in the workspace');
    assert.equal(cfg().inspect('activeProfile')?.globalValue, added[0]!.name, 'the new profile is selected in the user\'s settings');
    assert.equal(cfg().inspect('activeProfile')?.workspaceValue, undefined);
    const workspaceFile = fs.readFileSync(settingsFile, 'utf8');
    assert.equal(workspaceFile, workspaceFileBefore, 'the repository\'s .vscode/settings.json is untouched');
    assert.equal(/my-server|my-key/.test(workspaceFile), false);
  });
});
