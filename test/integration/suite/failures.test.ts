// Bad input in a real extension host: the user sees a clear state in the status bar, the
// provider answers empty without waiting on a dead server, and the host keeps working.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompletionLabApi } from '../../../src/extension/api';
import { activateExtension, closeAllEditors, engineUrl, openFixture, waitFor } from './util';
import { unusedPort } from '../../support/ports';

async function api(): Promise<CompletionLabApi> {
  return (await activateExtension()).exports as CompletionLabApi;
}


async function use(profiles: object[], active: string): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('completionLab');
  await cfg.update('profiles', profiles, vscode.ConfigurationTarget.Workspace);
  await cfg.update('activeProfile', active, vscode.ConfigurationTarget.Workspace);
}

describe('bad input', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await closeAllEditors();
    await use([{ name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'tiny');
  });

  it('an unreachable endpoint: the status bar says so and what to do, typing never waits on it', async () => {
    const a = await api();
    const port = await unusedPort();
    await use([{ name: 'gone', endpoint: `http://127.0.0.1:${port}` }], 'gone');
    const status = await waitFor(() => { const s = a.status(); return s && /server unreachable/.test(s.text) ? s : undefined; }, 15_000, 'the unreachable state');
    assert.match(status.tooltip, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(status.tooltip, /connection refused/i);
    assert.match(status.tooltip, /command:completionLab\.startServers/);

    const editor = await openFixture('main.py');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    const before = a.counters().requests;
    await vscode.commands.executeCommand('type', { text: '\nx = ' });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    assert.equal(a.counters().requests, before, 'no request while the server is known to be down (backoff)');
  });

  it('a profile with a bad endpoint: a warning that names the field, the others keep working', async () => {
    const a = await api();
    await use([{ name: 'typo', endpoint: 'localhost:8000' }, { name: 'tiny', endpoint: engineUrl(), template: 'qwen-fim', maxTokens: 16 }], 'typo');
    const status = await waitFor(() => { const s = a.status(); return s && /typo/.test(s.tooltip) ? s : undefined; }, 15_000, 'the warning about the bad profile');
    assert.match(status.tooltip, /must start with http:\/\/ or https:\/\//);
    assert.equal(status.text.includes('unreachable'), false);
    assert.ok((await vscode.commands.getCommands(true)).includes('completionLab.showPanel'), 'the extension is still alive');
  });
});
