// One recorder for the provider: a finished request's record gets the GPU numbers of its
// lifetime, then goes to the store, the panel's view of it and the live stats.
import type { CompletionRecord } from '../core/store/record';
import * as path from 'node:path';
import { RecordStore } from '../core/store/recordStore';
import type { StoreHealth } from '../core/store/storeHealth';
import { config } from './config';
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

/** The store of records in the extension's global storage; write trouble goes to `health`. */
export function openRecordStore(storage: string, health: StoreHealth): RecordStore {
  return new RecordStore({
    dir: path.join(storage, 'records'), maxBytes: config.storeMaxBytes(), enabled: true, recordSource: config.recording(),
    ...health.storeCallbacks,
  });
}
