// Activation: builds the parts, each the owner of what it swaps, wires them, and reports
// its own failure.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { destroyAgents } from '../core/client/agent';
import { warmTokenizer } from '../core/context/tokenizer';
import { RecordStore } from '../core/store/recordStore';
import { ActiveProfileHolder } from './activeProfile';
import type { CompletionLabApi } from './api';
import { ApiKeys } from './apiKeys';
import { registerCommands } from './commands';
import { runComparisonCommand, type ComparisonArgs } from './comparison';
import { config, onSettingsChange } from './config';
import { registerControls, statusMenuEntries } from './controls';
import { toDisposable } from './dispose';
import { enablement } from './enablement';
import { GpuWatch } from './gpuWatch';
import { LiveStats } from './liveStats';
import { errorText, log } from './log';
import { OutcomeTracker } from './outcomes';
import { ProfilingPanel } from './panel';
import { PanelModel } from './panelModel';
import { CompletionProvider } from './provider';
import { Recorder } from './recorder';
import { ServerManager } from './servers';
import { Snooze } from './snooze';
import { StatusBar } from './statusBar';

export function activate(context: vscode.ExtensionContext): CompletionLabApi | undefined {
  try {
    return start(context);
  } catch (err) {
    const msg = `Completion Lab failed to start: ${errorText(err)}`;
    log().error(err instanceof Error ? (err.stack ?? msg) : msg);
    void vscode.window.showErrorMessage(msg, 'Open log').then((p) => p && log().show());
    return undefined;
  }
}

function start(context: vscode.ExtensionContext): CompletionLabApi {
  const sub = <T extends vscode.Disposable>(d: T): T => (context.subscriptions.push(d), d);
  sub(log()).info(`Completion Lab ${String(context.extension.packageJSON.version)} starting (${vscode.env.appName} ${vscode.version}, ${vscode.env.remoteName ?? 'local'}).`);
  const storage = context.globalStorageUri.fsPath;
  const store = new RecordStore({ dir: path.join(storage, 'records'), maxBytes: config.storeMaxBytes(), enabled: true, recordSource: config.recording() });
  sub(toDisposable(() => void store.flush().catch(() => undefined)));
  const stats = sub(new LiveStats());
  const keys = new ApiKeys(context.secrets);
  const gpu = sub(new GpuWatch(stats));
  const active = sub(new ActiveProfileHolder({ stats, keys, watch: gpu }));
  sub(toDisposable(destroyAgents));
  const panel = new PanelModel(store, stats, path.join(storage, 'reports'));
  const outcomes = sub(new OutcomeTracker(() => store, () => config.keptDelayMs()));
  const snooze = sub(new Snooze(context.globalState));
  const gate = (languageId?: string) => enablement({ enabled: config.enabled(), languages: config.languages(), snoozeUntil: snooze.until, now: Date.now() }, languageId);
  const provider = sub(new CompletionProvider({ active: () => active.current, outcomes, recorder: new Recorder(store, gpu, panel, stats), gate }));
  sub(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider));
  const statusBar = sub(new StatusBar(stats, {
    enabled: () => config.enabled(),
    snoozedUntil: () => snooze.until,
    profileName: () => config.activeProfile().profile?.name,
    profileProblem: () => config.activeProfile().errors[0],
  }));
  const showPanel = () => {
    ProfilingPanel.show(context.extensionUri, (fresh) => panel.state(fresh), stats.onDidChange).panel.onDidDispose(() => setTimeout(() => gpu.refresh(), 0));
    gpu.refresh();
  };
  const runComparison = (args?: ComparisonArgs) => runComparisonCommand({
    store, reportsDir: panel.reportsDir, sampler: () => gpu.sampler, apiKeyFor: (p) => keys.get(p), onReport: (view) => panel.setComparison(view),
  }, args);
  const clearCaches = () => { provider.clearCache(); panel.forget(); };
  sub(snooze.onDidChange(() => statusBar.schedule()));
  for (const d of registerControls({ snooze, stats, forceNext: () => provider.forceNext() })) sub(d);
  for (const d of registerCommands({ store, servers: sub(new ServerManager(context.extensionPath)), showPanel, clearCaches, keys, runComparison })) sub(d);
  sub(onSettingsChange({
    profiles: () => { provider.clearCache(); active.reload(); },
    gpu: () => gpu.restart(),
    store: () => { store.setRecording({ recordSource: config.recording() }); void store.setMaxBytes(config.storeMaxBytes()).catch((err) => log().warn(`Store: ${errorText(err)}`)); },
    any: () => statusBar.schedule(),
  }));
  sub(warmTokenizerSoon());
  return {
    records: async () => { await store.flush(); return (await store.readAll()).records; },
    status: () => statusBar.current && { text: statusBar.current.text, tooltip: statusBar.current.tooltip },
    counters: () => ({ requests: provider.requests, cacheHits: provider.cacheHits, declined: provider.declined }),
    statusMenu: () => statusMenuEntries({ snooze, stats }),
  };
}

/** Loads the tokenizer now rather than on the first keystroke. */
function warmTokenizerSoon(): vscode.Disposable {
  const timer = setTimeout(() => {
    try {
      warmTokenizer();
    } catch (err) {
      log().warn(`Tokenizer: ${errorText(err)}`);
    }
  }, 0);
  return toDisposable(() => clearTimeout(timer));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
