// The packaged manifest and the running extension agree: it activates in a real extension
// host and every command the manifest contributes is registered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, extension } from './util';

type Manifest = { contributes?: { commands?: { command: string }[] } };

describe('activation', () => {
  it('is installed under its published id and activates', async () => {
    const ext = await activateExtension();
    assert.equal(ext.isActive, true);
    assert.equal(extension().packageJSON.version, (ext.packageJSON as { version: string }).version);
  });

  it('registers every command its package.json contributes', async () => {
    await activateExtension();
    const manifest = extension().packageJSON as Manifest;
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    assert.equal(contributed.length, 13, `expected the 13 completionLab.* commands in package.json, got ${contributed.join(', ')}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });
});
