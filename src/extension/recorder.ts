// One recorder for the provider: a finished request's record gets the GPU numbers of its
// lifetime, then goes to the store, the panel's view of it and the live stats.
import type { CompletionRecord } from '../core/store/record';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RecordStore } from '../core/store/recordStore';
import { config } from './config';
import { log } from './log';
import type { GpuWatch } from './gpuWatch';
import type { LiveStats } from './liveStats';
import type { PanelModel } from './panelModel';

/** When a request ran, in epoch ms: GPU samples are joined to it by time. */
export interface RequestSpan {
  t0: number;
  t1: number;
  firstTokenTs?: number;
}

export class Recorder {
  constructor(
    private readonly store: RecordStore,
    private readonly gpu: GpuWatch,
    private readonly panel: PanelModel,
    private readonly stats: LiveStats,
  ) {}

  record(record: CompletionRecord, span?: RequestSpan): void {
    const gpu = span && this.gpu.window(span.t0, span.t1, span.firstTokenTs);
    const full = gpu ? { ...record, gpu } : record;
    this.store.append(full);
    this.panel.added(full);
    this.stats.add(full);
  }
}

/**
 * The store's write trouble as the status bar shows it: set at the first failure of a run
 * (a full disk, a write error), cleared when a write succeeds again. Said once in the log
 * each time, and shown in the status bar for as long as it lasts (no toast: the user did not ask).
 */
export class StoreHealth implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  problem: string | undefined;

  failed(message: string): void {
    this.problem = message;
    log().warn(message);
    this.changed.fire();
  }

  recovered(): void {
    log().info('Recorded completions are being written again.');
    this.problem = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The store of records in the extension's global storage; write trouble goes to `health`. */
export function openRecordStore(storage: string, health: StoreHealth): RecordStore {
  return new RecordStore({
    dir: path.join(storage, 'records'), maxBytes: config.storeMaxBytes(), enabled: true, recordSource: config.recording(),
    onProblem: (message) => health.failed(message),
    onRecovered: () => health.recovered(),
  });
}
