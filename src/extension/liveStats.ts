// What the status bar and the panel show live: the last completions' timings (in memory,
// whatever the recording setting), the latest GPU sample and server metrics.
import * as vscode from 'vscode';
import type { CompletionRecord } from '../core/store/record';
import type { GpuSample, SamplerState } from '../core/gpu/types';
import { percentileOf } from '../core/stats/describe';
import type { ReplicasView } from '../protocol';

const KEEP = 100;

export interface ServerView {
  kind: 'unknown' | 'ok' | 'unreachable' | 'error';
  endpoint?: string | undefined;
  model?: string | undefined;
  maxModelLen?: number | undefined;
  message?: string | undefined;
  /** The profile whose template the message is about: the tooltip links to choosing another. */
  templateOf?: string | undefined;
  /** Server-side numbers from /metrics, shown beside the client's, never mixed. */
  metrics?: { kvCacheUsagePct?: number | undefined; running?: number | undefined; waiting?: number | undefined; ttftMeanMs?: number | undefined; genTokensPerSec?: number | undefined } | undefined;
}

/** Where the GPU numbers come from: this machine's GPU tool, or a Prometheus (DCGM exporter). */
export type GpuSource = { kind: 'local' } | { kind: 'prometheus'; url: string };

export class LiveStats implements vscode.Disposable {
  private readonly recent: CompletionRecord[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  server: ServerView = { kind: 'unknown' };
  gpu: GpuSample | undefined;
  gpuState: SamplerState = { kind: 'stopped' };
  gpuSource: GpuSource = { kind: 'local' };
  /** The replicas and GPUs read through Prometheus (set while it is the source). */
  fleet: ReplicasView | undefined;
  /** The GPU index the active server's processes are on; undefined: not known (GPU 0 is shown). */
  servingGpuIndex: number | undefined;
  requestsMade = 0;

  /** A finished request (any outcome): feeds last / p50 when it produced timings. */
  add(record: CompletionRecord): void {
    this.requestsMade++;
    if (record.timings?.ttftMs !== undefined) {
      this.recent.push(record);
      if (this.recent.length > KEEP) this.recent.shift();
    }
    this.changed.fire();
  }

  setServer(view: ServerView): void {
    this.server = view;
    this.changed.fire();
  }

  /** Something the panel shows changed (e.g. a new comparison report). */
  touch(): void {
    this.changed.fire();
  }

  setMetrics(metrics: ServerView['metrics']): void {
    this.server = { ...this.server, metrics };
    this.changed.fire();
  }

  setGpu(sample: GpuSample | undefined, state?: SamplerState): void {
    if (sample) this.gpu = sample;
    if (state) this.gpuState = state;
    this.changed.fire();
  }

  /**
   * A Prometheus poll: its view, and its GPUs as the sample (none when the poll had none:
   * an unreachable Prometheus or a selector that lost its series never leaves old numbers up).
   */
  setFleet(view: ReplicasView, sample: GpuSample | undefined): void {
    this.fleet = view;
    this.gpu = sample;
    this.changed.fire();
  }

  /** A new GPU source: the previous source's numbers are dropped, not shown as the new one's. */
  setGpuSource(source: GpuSource): void {
    this.gpuSource = source;
    this.gpu = undefined;
    this.fleet = undefined;
    this.servingGpuIndex = undefined;
    this.changed.fire();
  }

  setServingGpu(index: number | undefined): void {
    if (index === this.servingGpuIndex) return;
    this.servingGpuIndex = index;
    this.changed.fire();
  }

  get last(): CompletionRecord | undefined {
    return this.recent[this.recent.length - 1];
  }

  ttft(q: number): number | undefined {
    return percentileOf(this.recent.map((r) => r.timings?.ttftMs).filter((v) => v !== undefined), q);
  }

  /** What the developer waits: keystroke to ghost text (debounce + request), over shown completions. */
  keystrokeToShown(q: number): number | undefined {
    return percentileOf(this.recent.map((r) => r.keystrokeToShownMs).filter((v) => v !== undefined), q);
  }

  get count(): number {
    return this.recent.length;
  }

  records(): readonly CompletionRecord[] {
    return this.recent;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
