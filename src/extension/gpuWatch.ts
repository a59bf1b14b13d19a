// The GPU watch: owns the GPU source and the rule that polling runs only while someone looks
// (the window has focus or the panel is open), and builds a new source when the GPU settings,
// the Prometheus settings or the active profile change. The source is the profile's
// Prometheus (DCGM exporter) when one is configured, else this machine's GPU tool. The
// /metrics scraper follows the same rule through holdWhileWatched().
import * as vscode from 'vscode';
import { GpuSampler } from '../core/gpu/sampler';
import type { GpuWindowSource } from '../core/compare';
import { fleetConfigFor, PrometheusFleetSource, PrometheusWatch, type FleetConfig, type FleetState } from '../core/prometheus';
import type { SamplerState } from '../core/gpu/types';
import { DisposableValue, toDisposable, type Disposable as Hold } from '../core/lifecycle/disposable';
import type { CompletionRecord } from '../core/store/record';
import { config, type GpuToolSetting } from './config';
import { Disposable } from './dispose';
import type { LiveStats } from './liveStats';
import { log } from './log';
import { ServingGpuFinder } from './servingGpu';
import { ProfilingPanel } from './panel';
import { replicaView } from './replicaView';

/** The window of the fleet's live TTFT mean and request rate, seconds. */
const FLEET_WINDOW_S = 60;

/** Something that polls only while held (GpuSampler, MetricsScraper). */
export interface Holdable {
  acquire(): Hold;
}

export class GpuWatch extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<boolean>());
  private readonly current = this.register(new DisposableValue<SamplerUnit | FleetUnit>());
  /** What the current source was built from: a restart with the same settings keeps it. */
  private key: string | undefined;
  private looking = isLooking();

  constructor(readonly stats: LiveStats) {
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

  /** A new source when its settings changed: Prometheus if configured, else the local tool (`none`: nothing). */
  restart(): void {
    const profile = config.activeProfile().profile;
    const fleet = fleetConfigFor(config.prometheusUrl(), profile);
    const tool = config.gpuTool();
    const endpoint = profile?.endpoint;
    const key = JSON.stringify(fleet instanceof Error ? { tool, poll: config.gpuPollMs(), endpoint, problem: fleet.kind } : { fleet, poll: config.prometheusPollMs() });
    if (key === this.key && this.current.value) return;
    this.key = key;
    // The old source goes first: its last 'stopped' must not land after the new one's first state.
    this.current.value = undefined;
    if (fleet instanceof Error && fleet.kind !== 'not-configured') log().warn(`Prometheus: ${fleet.message} GPU numbers come from this machine's GPU tool.`);
    const source = fleet instanceof Error ? undefined : fleetSource(fleet);
    if (source) {
      // The source first: the unit's first states and polls are the new source's.
      this.stats.setGpuSource({ kind: 'prometheus', url: source.client.baseUrl.origin });
      this.current.value = new FleetUnit(new PrometheusWatch(source, { latencyWindowS: FLEET_WINDOW_S, intervalMs: config.prometheusPollMs() }), this);
      return;
    }
    this.stats.setGpuSource({ kind: 'local' });
    this.current.value = tool === 'none' ? undefined : new SamplerUnit(new GpuSampler({ intervalMs: config.gpuPollMs(), tool }), this, tool, endpoint);
    if (tool === 'none') this.stats.setGpu(undefined, { kind: 'stopped', message: vscode.l10n.t('GPU polling is off (completionLab.gpu.tool: none).') });
  }

  /** For a comparison, which holds it for its whole run. */
  get sampler(): GpuWindowSource | undefined {
    const unit = this.current.value;
    return unit instanceof FleetUnit ? unit.watch : unit?.sampler;
  }

  /** GPU numbers over one request's lifetime, when samples cover it. */
  window(t0: number, t1: number, firstTokenTs?: number): CompletionRecord['gpu'] | undefined {
    const unit = this.current.value;
    const g = unit instanceof FleetUnit ? unit.watch.summarize(t0, t1) : unit?.sampler.summarize(t0, t1, firstTokenTs);
    return g?.samples ? { vramAtFirstTokenMiB: g.vramAtFirstTokenMiB, vramPeakMiB: g.vramPeakMiB, utilMeanPct: g.utilMeanPct } : undefined;
  }

  /** A fleet's replicas and GPUs go to the status bar and the panel; each problem once to the log. */
  reportFleet(watch: PrometheusWatch): vscode.Disposable[] {
    const source = { url: watch.source.client.baseUrl.origin, selector: watch.source.describe('servers'), gpuSelector: watch.source.describe('gpus'), windowS: FLEET_WINDOW_S };
    const update = (): void => this.stats.setFleet(replicaView(source, watch.state, watch.latestPoll), watch.latestPoll?.gpus);
    update();
    return [
      watch.onPoll(update),
      watch.onState((s) => {
        this.stats.setGpu(undefined, fleetSamplerState(s));
        update();
      }),
      watch.onProblem((line) => log().warn(`Prometheus: ${line}`)),
    ];
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

/** One sampler with its listeners, its hold and its serving-GPU finder, replaced as one. */
class SamplerUnit extends Disposable {
  constructor(readonly sampler: GpuSampler, watch: GpuWatch, tool: GpuToolSetting, endpoint: string | undefined) {
    super();
    this.register(sampler);
    for (const d of watch.report(sampler)) this.register(d);
    this.register(watch.holdWhileWatched(sampler));
    // Per-process GPU memory comes from nvidia-smi only: on AMD the first GPU stays shown.
    if (endpoint && (tool === 'auto' || tool === 'nvidia-smi')) this.register(new ServingGpuFinder(endpoint, sampler, watch));
  }
}

/** A Prometheus watch with its listeners and its hold, replaced as one. */
class FleetUnit extends Disposable {
  constructor(readonly watch: PrometheusWatch, owner: GpuWatch) {
    super();
    this.register(watch);
    for (const d of owner.reportFleet(watch)) this.register(d);
    this.register(owner.holdWhileWatched(watch));
  }
}

/** The fleet's state in the sampler's words, so the status bar says the same things. */
function fleetSamplerState(s: FleetState): SamplerState {
  if (s.kind === 'ok') return { kind: 'running' };
  if (s.kind === 'starting' || s.kind === 'stopped') return { kind: s.kind };
  return { kind: 'failed', message: s.message ?? s.kind };
}

/** The fleet source for a config, or undefined (said in the log) when its selector is bad. */
function fleetSource(fleet: FleetConfig): PrometheusFleetSource | undefined {
  try {
    return new PrometheusFleetSource(fleet);
  } catch (err) {
    log().warn(`Prometheus: ${(err as Error).message} GPU numbers come from this machine's GPU tool.`);
    return undefined;
  }
}

function isLooking(): boolean {
  return vscode.window.state.focused || ProfilingPanel.isOpen;
}
