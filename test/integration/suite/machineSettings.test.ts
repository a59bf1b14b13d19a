// A repository's .vscode/settings.json cannot choose the GGUF file the embedded engine
// parses (native code reading an attacker's file): completionLab.engine.modelPath is a
// machine setting, which VS Code does not read from a workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceRoot } from './util';

const cfg = () => vscode.workspace.getConfiguration('completionLab');

describe("a repository's settings.json and the engine's model file", function () {
  this.timeout(30_000);

  it('cannot point the embedded engine at a file of its own', async () => {
    await activateExtension();
    const file = path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
    const original = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const settings = original ? (JSON.parse(original) as Record<string, unknown>) : {};
    const delay = cfg().get<number>('keptTextDelaySeconds') === 7 ? 8 : 7;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // The file as a repository would ship it; a window-scoped setting beside it shows when VS Code has read it.
    fs.writeFileSync(file, JSON.stringify({ ...settings, 'completionLab.engine.modelPath': '/tmp/from-the-repository.gguf', 'completionLab.keptTextDelaySeconds': delay }, null, 2));
    try {
      await waitFor(() => cfg().get<number>('keptTextDelaySeconds') === delay, 20_000, 'VS Code to read the changed settings.json');
      assert.equal(cfg().get<string>('engine.modelPath'), '', 'the repository\'s model path is not used');
    } finally {
      if (original === undefined) fs.rmSync(file);
      else fs.writeFileSync(file, original);
    }
    await waitFor(() => cfg().get<number>('keptTextDelaySeconds') !== delay, 20_000, 'the settings to be restored');
  });
});
