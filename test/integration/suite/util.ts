// Helpers for integration suites: the engine the runner started, the fixture workspace,
// and polling (the extension host is asynchronous; never sleep a fixed time and hope).
import * as vscode from 'vscode';
import type { CompletionRecord } from '../../../src/core/store/record';
import type { CompletionLabApi } from '../../../src/extension/api';

export const extensionId = 'completion-lab.completion-lab';

/** URL of the embedded engine the runner started (tiny random-weight Qwen2 model). */
export function engineUrl(): string {
  const url = process.env.COMPLETION_LAB_TEST_ENGINE_URL;
  if (!url) throw new Error('COMPLETION_LAB_TEST_ENGINE_URL is not set: run the suites with "npm run test:integration".');
  return url;
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not loaded in this extension host`);
  return ext;
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = extension();
  await ext.activate();
  return ext;
}

/** Polls predicate every intervalMs until it returns a truthy value; throws after timeoutMs. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10000,
  what = 'condition',
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the runner opens a temp copy of test/integration/workspace)');
  return folder.uri;
}

/** Opens a file of the fixture workspace (e.g. "main.py") in an editor and focuses it. */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Closes all editors, discarding unsaved changes, so suites do not leak state. */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.isClosed) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extension's test API (what activate() returns). */
export async function api(): Promise<CompletionLabApi> {
  const ext = await activateExtension();
  return ext.exports as CompletionLabApi;
}

/** Writes the profiles, the active one and other completionLab.* settings to the workspace. */
export async function setProfiles(profiles: object[], active: string, extra: Record<string, unknown> = {}): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('completionLab');
  await cfg.update('profiles', profiles, vscode.ConfigurationTarget.Global);
  await cfg.update('activeProfile', active, vscode.ConfigurationTarget.Global);
  for (const [k, v] of Object.entries(extra)) await cfg.update(k, v, vscode.ConfigurationTarget.Workspace);
}

/** Puts the cursor at the end of the document after typing `text` there. */
export async function typeAtEnd(editor: vscode.TextEditor, text: string): Promise<void> {
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  await vscode.commands.executeCommand('type', { text });
}

export async function newRecords(a: CompletionLabApi, before: number): Promise<CompletionRecord[]> {
  return (await a.records()).slice(before);
}

/** Triggers until a request of this test is shown as ghost text. */
export async function waitForShown(a: CompletionLabApi, before: number, what = 'a completion shown as ghost text'): Promise<CompletionRecord> {
  return waitFor(async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((r) => setTimeout(r, 300));
    return (await newRecords(a, before)).find((r) => r.outcome === 'shown');
  }, 60_000, what);
}

/** Runs a command that opens the real quick picks, taking the selected (first) entry of each until it ends. */
export async function runTakingFirstPicks(command: string, arg: unknown, what: string): Promise<void> {
  let done = false;
  const run = Promise.resolve(vscode.commands.executeCommand(command, arg)).finally(() => { done = true; });
  await waitFor(async () => {
    if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((r) => setTimeout(r, 100));
    return done;
  }, 30_000, what);
  await run;
}
