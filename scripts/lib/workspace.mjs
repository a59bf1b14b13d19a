// Temp copies of a workspace with the settings the harness needs. A copy per run, because
// VS Code's web build auto-saves edits back into whatever folder it has open.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temp dir (removed by removeTemp). */
export function makeTemp(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `completion-lab-${prefix}-`));
}

export function removeTemp(dir) {
  if (dir && !process.env.COMPLETION_LAB_KEEP_TEMP) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Settings that point the extension at one endpoint and keep the workbench quiet. */
export function completionSettings(endpoint, extra = {}) {
  return {
    // Two profiles on one server, so "Run model comparison" has something to compare.
    'completionLab.profiles': [
      { name: 'tiny', endpoint, template: 'qwen-fim', maxTokens: 16 },
      { name: 'tiny-prefix', endpoint, template: 'prefix-only', maxTokens: 16 },
    ],
    'completionLab.activeProfile': 'tiny',
    ...quietSettings(extra),
  };
}

/** Settings that keep the workbench quiet and the test in control of saving. */
export function quietSettings(extra = {}) {
  return {
    'files.autoSave': 'off',
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'editor.inlineSuggest.enabled': true,
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...extra,
  };
}

/**
 * Copies src into a new temp folder. The extension's own settings go where a user keeps
 * them, the user settings of `<dir>/user-data` (a workspace's model settings wait for the
 * user's confirmation); the workbench's quiet settings go to the workspace's
 * .vscode/settings.json.
 */
export function prepareWorkspace(src, settings, prefix = 'ws') {
  const dir = makeTemp(prefix);
  const ws = path.join(dir, path.basename(src));
  fs.cpSync(src, ws, { recursive: true });
  const own = Object.entries(settings).filter(([k]) => k.startsWith('completionLab.'));
  const rest = Object.entries(settings).filter(([k]) => !k.startsWith('completionLab.'));
  writeSettings(path.join(dir, 'user-data', 'User'), Object.fromEntries(own));
  writeSettings(path.join(ws, '.vscode'), Object.fromEntries(rest));
  return { dir, workspace: ws };
}

function writeSettings(folder, settings) {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}
