// A second completion provider in the real extension host, built from the extension's own
// parts (active profile, connection, recorder, record store, outcome tracker, prompt
// worker) the way activation wires them, so a suite can call it directly: many calls
// fast, or with a secret storage that fails the way an OS keyring does.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelProfile } from '../../../src/core/profiles';
import { RecordStore } from '../../../src/core/store/recordStore';
import { ActiveProfile } from '../../../src/extension/activeProfile';
import { ApiKeys, type KeyPrompts } from '../../../src/extension/apiKeys';
import { GpuWatch } from '../../../src/extension/gpuWatch';
import { LiveStats } from '../../../src/extension/liveStats';
import { OutcomeTracker } from '../../../src/extension/outcomes';
import { PanelModel } from '../../../src/extension/panelModel';
import { CompletionProvider } from '../../../src/extension/provider';
import { Recorder } from '../../../src/extension/recorder';
import { WorkerContextBuilder } from '../../../src/extension/workerContext';
import { extension } from './util';

export interface ProviderParts {
  provider: CompletionProvider;
  active: ActiveProfile;
  stats: LiveStats;
  store: RecordStore;
  told: string[];
  dispose(): Promise<void>;
}

/** The parts activation builds around a provider, for `profile`, with keys from `secrets`. */
export function buildProvider(profile: ModelProfile, secrets: vscode.SecretStorage): ProviderParts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-provider-parts-'));
  const store = new RecordStore({ dir: path.join(dir, 'records') });
  const stats = new LiveStats();
  const told: string[] = [];
  const prompts: KeyPrompts = { tell: (m) => told.push(m), confirmBind: async () => false };
  const watch = new GpuWatch(stats);
  const active = new ActiveProfile(profile, { stats, keys: new ApiKeys(secrets, prompts), watch });
  const outcomes = new OutcomeTracker(() => store, () => 60_000);
  const context = new WorkerContextBuilder(path.join(extension().extensionPath, 'dist', 'contextWorker.js'));
  const panel = new PanelModel(store, stats, path.join(dir, 'reports'));
  const provider = new CompletionProvider({ active: () => active, outcomes, recorder: new Recorder(store, watch, panel, stats), gate: () => ({ on: true }), context });
  return {
    provider, active, stats, store, told,
    dispose: async () => {
      for (const d of [provider, outcomes, active, context, watch, stats]) d.dispose();
      await store.flush().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Secret storage held in memory (nothing to unlock), or failing every read as a locked keyring does. */
export class MemorySecrets implements vscode.SecretStorage {
  private readonly values = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;
  /** While set, every call rejects with this error. */
  failure: Error | undefined;
  reads = 0;

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    if (this.failure) throw this.failure;
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.values.delete(key);
  }
}

/** What the editor passes the provider on an automatic trigger; `token` is never cancelled. */
export const typingContext: vscode.InlineCompletionContext = { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined };
export const neverCancelled: vscode.CancellationToken = new vscode.CancellationTokenSource().token;
