// Activation: builds the parts, each the owner of what it swaps, wires them, and reports
// its own failure.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { destroyAgents } from '../core/client/agent';
import { StoreHealth } from '../core/store/storeHealth';
import { ActiveProfileHolder } from './activeProfile';
import { buildApi, type CompletionLabApi } from './api';
import { ApiKeys } from './apiKeys';
import { registerCommands } from './commands';
import { runComparisonCommand, type ComparisonArgs } from './comparison';
import { config, onSettingsChange } from './config';
import { registerControls } from './controls';
import { toDisposable } from './dispose';
import { enablement } from './enablement';
import { useDisplayLanguage } from './locale';
import { GpuWatch } from './gpuWatch';
import { LiveStats } from './liveStats';
import { errorText, log } from './log';
import { ACCEPT_COMMAND, OutcomeTracker } from './outcomes';
import { registerPanel } from './panel';
import { PanelModel } from './panelModel';
import { OtherFiles } from './otherFiles';
import { CompletionProvider } from './provider';
import { openRecordStore, Recorder } from './recorder';
import { ServerManager } from './servers';
import { HostTiming } from './hostTiming';
import { WorkerContextBuilder } from './workerContext';
import { Snooze } from './snooze';
import { StatusBar } from './statusBar';
import { WorkspaceSettingsGate } from './workspaceSettingsGate';

export function activate(context: vscode.ExtensionContext): CompletionLabApi | undefined {
  // First: the status bar's first text is already in the display language.
  useDisplayLanguage(vscode.env.language, vscode.l10n.bundle);
  const timing = new HostTiming();
  context.subscriptions.push(timing);
  try {
    const api = start(context, timing);
    timing.activated();
    return api;
  } catch (err) {
    const msg = vscode.l10n.t('Completion Lab failed to start: {0}', errorText(err));
    log().error(err instanceof Error ? (err.stack ?? msg) : msg);
    const open = vscode.l10n.t('Open log');
    void vscode.window.showErrorMessage(msg, open).then((p) => p && log().show());
    return undefined;
  }
}

function start(context: vscode.ExtensionContext, timing: HostTiming): CompletionLabApi {
  const sub = <T extends vscode.Disposable>(d: T): T => (context.subscriptions.push(d), d);
  sub(log()).info(`Completion Lab ${String(context.extension.packageJSON.version)} starting (${vscode.env.appName} ${vscode.version}, ${vscode.env.remoteName ?? 'local'}).`);
  const storage = context.globalStorageUri.fsPath;
  const storeHealth = new StoreHealth(log());
  const store = openRecordStore(storage, storeHealth);
  sub(toDisposable(() => void store.flush().catch(() => undefined)));
  const stats = sub(new LiveStats());
  const keys = new ApiKeys(context.secrets);
  const gpu = sub(new GpuWatch(stats));
  // Before the first profile is read: the workspace's own model settings wait for the user.
  const gate = sub(new WorkspaceSettingsGate(context.workspaceState, () => settingsChanged()));
  const active = sub(new ActiveProfileHolder({ stats, keys, watch: gpu }));
  sub(toDisposable(destroyAgents));
  const panel = new PanelModel(store, stats, path.join(storage, 'reports'));
  // Prompts are built (and tokens counted) in a worker thread: the tokenizer never blocks the host.
  const contextBuilder = sub(new WorkerContextBuilder(path.join(context.extensionPath, 'dist', 'contextWorker.js')));
  const outcomes = sub(new OutcomeTracker(() => store, () => config.keptDelayMs()));
  sub(vscode.commands.registerCommand(ACCEPT_COMMAND, (id: string, alternative?: string) => outcomes.accepted(id, alternative)));
  const snooze = sub(new Snooze(context.globalState));
  const enabledFor = (languageId?: string) => enablement({ enabled: config.enabled(), languages: config.languages(), snoozeUntil: snooze.until, now: Date.now() }, languageId);
  const otherFiles = sub(new OtherFiles());
  const provider = sub(new CompletionProvider({ active: () => active.current, outcomes, recorder: new Recorder(store, gpu, panel, stats), gate: enabledFor, context: contextBuilder, otherFiles }));
  sub(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider));
  const statusBar = sub(new StatusBar(stats, { enabled: () => config.enabled(), snoozedUntil: () => snooze.until, profileName: () => config.activeProfile().profile?.name,
    profileProblem: () => config.activeProfile().errors[0], storeProblem: () => storeHealth.problem, storeNote: () => storeHealth.note }));
  for (const changed of [storeHealth.onDidChange, snooze.onDidChange]) sub(changed(() => statusBar.schedule()));
  const { show: showPanel, serializer } = registerPanel(context.extensionUri, (fresh) => panel.state(fresh), stats.onDidChange, () => gpu.refresh());
  sub(serializer);
  const runComparison = (args?: ComparisonArgs) =>
    runComparisonCommand({ store, reportsDir: panel.reportsDir, sampler: () => gpu.sampler, apiKeyFor: (p) => keys.get(p), context: contextBuilder, onReport: (view) => panel.setComparison(view) }, args);
  const clearCaches = () => { provider.clearCache(); panel.forget(); };
  for (const d of registerControls({ snooze, stats, forceNext: () => provider.forceNext() })) sub(d);
  for (const d of registerCommands({ store, servers: sub(new ServerManager(context.extensionPath)), showPanel, clearCaches, keys, runComparison })) sub(d);
  // The GPU source follows the profile (its Prometheus block, its server's GPU); restart() keeps an unchanged one.
  const settingsChanged = () => { provider.clearCache(); active.reload(); gpu.restart(); gate.check(); statusBar.schedule(); };
  sub(onSettingsChange({
    profiles: settingsChanged,
    gpu: () => gpu.restart(),
    store: () => { store.setRecording({ recordSource: config.recording() }); void store.setMaxBytes(config.storeMaxBytes()).catch((err) => log().warn(`Store: ${errorText(err)}`)); },
    any: () => statusBar.schedule(),
  }));
  // Load the tokenizer now (in the worker) rather than on the first keystroke.
  contextBuilder.warm().catch((err: unknown) => log().warn(`Tokenizer: ${errorText(err)}`));
  gate.check();
  return buildApi({ store, statusBar, provider, snooze, stats, timing, contextBuilder, panel });
}

/** Everything is disposed through context.subscriptions. */
export function deactivate(): void {}
