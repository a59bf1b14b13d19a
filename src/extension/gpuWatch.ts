// The GPU watch: owns the sampler and the rule that polling runs only while someone looks
// (the window has focus or the panel is open), and builds a new sampler when the GPU
// settings change. The /metrics scraper follows the same rule through holdWhileWatched().
import * as vscode from 'vscode';
import { GpuSampler } from '../core/gpu/sampler';
import { DisposableValue, toDisposable, type Disposable as Hold } from '../core/lifecycle/disposable';
import type { CompletionRecord } from '../core/store/record';
import { config } from './config';
import { Disposable } from './dispose';
import type { LiveStats } from './liveStats';
import { log } from './log';
import { ProfilingPanel } from './panel';

/** Something that polls only while held (GpuSampler, MetricsScraper). */
export interface Holdable {
  acquire(): Hold;
}

export class GpuWatch extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<boolean>());
  private readonly current = this.register(new DisposableValue<SamplerUnit>());
  private looking = isLooking();

  constructor(private readonly stats: LiveStats) {
    super();
    this.register(vscode.window.onDidChangeWindowState(() => this.refresh()));
    this.restart();
  }

  /** The window has focus or the panel is open. */
  get watching(): boolean {
    return this.looking;
  }

  /** Focus moved or the panel opened or closed: hold or release what polls. */
  refresh(): void {
    const now = isLooking();
    if (now === this.looking) return;
    this.looking = now;
    this.changed.fire(now);
  }

  /** Holds `source` while someone looks; disposing the result lets go for good. */
  holdWhileWatched(source: Holdable): vscode.Disposable {
    const hold = new DisposableValue<Hold>();
    const update = (on: boolean): void => {
      if (!on) hold.value = undefined;
      else hold.value ??= source.acquire();
    };
    update(this.looking);
    const sub = this.changed.event(update);
    return toDisposable(() => {
      sub.dispose();
      hold.dispose();
    });
  }

  /** A new sampler from the settings; `gpu.tool: none` means none at all. */
  restart(): void {
    const tool = config.gpuTool();
    this.current.value = tool === 'none' ? undefined : new SamplerUnit(new GpuSampler({ intervalMs: config.gpuPollMs(), tool }), this);
    if (tool === 'none') this.stats.setGpu(undefined, { kind: 'stopped', message: 'GPU polling is off (completionLab.gpu.tool: none).' });
  }

  /** For a comparison, which holds it for its whole run. */
  get sampler(): GpuSampler | undefined {
    return this.current.value?.sampler;
  }

  /** GPU numbers over one request's lifetime, when samples cover it. */
  window(t0: number, t1: number, firstTokenTs?: number): CompletionRecord['gpu'] | undefined {
    const g = this.sampler?.summarize(t0, t1, firstTokenTs);
    return g?.samples ? { vramAtFirstTokenMiB: g.vramAtFirstTokenMiB, vramPeakMiB: g.vramPeakMiB, utilMeanPct: g.utilMeanPct } : undefined;
  }

  /** Live numbers go to the status bar and the panel; trouble to the log. */
  report(sampler: GpuSampler): vscode.Disposable[] {
    return [
      sampler.onSample((s) => this.stats.setGpu(s)),
      sampler.onState((s) => {
        if (s.kind === 'no-gpu-tool' || s.kind === 'failed' || s.kind === 'restarting') log().info(`GPU sampler: ${s.kind}${s.message ? ` (${s.message})` : ''}`);
        this.stats.setGpu(undefined, s);
      }),
    ];
  }
}

/** One sampler with its listeners and its hold, replaced as one. */
class SamplerUnit extends Disposable {
  constructor(readonly sampler: GpuSampler, watch: GpuWatch) {
    super();
    this.register(sampler);
    for (const d of watch.report(sampler)) this.register(d);
    this.register(watch.holdWhileWatched(sampler));
  }
}

function isLooking(): boolean {
  return vscode.window.state.focused || ProfilingPanel.isOpen;
}
