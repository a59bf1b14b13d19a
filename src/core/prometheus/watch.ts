// PrometheusWatch: polls a fleet source while someone holds it (ref-counted, like the local
// GpuSampler), each poll scheduled after the previous one answered, and keeps recent GPU
// samples, so the status bar, the panel and a comparison (as its GpuWindowSource) can use it
// where the local GPU tool would be. Problems are states, not errors per poll: each one
// (unreachable, selector matches nothing, no DCGM series, series without DCGM labels) is
// announced once on onProblem when it starts, and again only after it went away and came back.
import type { Disposable } from '../lifecycle/disposable';
import { Emitter } from '../lifecycle/emitter';
import { PollSchedule } from '../lifecycle/pollSchedule';
import { RefCount } from '../lifecycle/refCount';
import { RingBuffer } from '../gpu/ringBuffer';
import { summarizeGpuWindow, type GpuWindowSummary } from '../gpu/summary';
import type { FleetGpuSample } from './dcgm';
import { PrometheusError } from './errors';
import type { FleetLatency, FleetProblem, FleetServers, PrometheusFleetSource } from './fleetSource';

export type FleetStateKind = 'stopped' | 'starting' | 'ok' | 'unreachable' | 'error' | FleetProblem['kind'];

export interface FleetState {
  kind: FleetStateKind;
  /** The first problem's message (what the status bar tooltip shows). */
  message?: string;
  /** Every current problem (servers and GPUs can fail apart). */
  problems: { kind: FleetStateKind; message: string }[];
}

export interface FleetPoll {
  ts: number;
  gpus?: FleetGpuSample;
  servers?: FleetServers;
  latency?: FleetLatency;
}

export interface PrometheusWatchOptions {
  /** Default 5000 ms, at least 1000 (Prometheus itself scrapes every 15-60 s in most setups). */
  intervalMs?: number;
  /** Window of the live TTFT rates, default 60 s. */
  latencyWindowS?: number;
  historySize?: number;
}

export class PrometheusWatch {
  readonly intervalMs: number;
  private readonly latencyWindowS: number;
  private readonly samples: RingBuffer<FleetGpuSample>;
  private readonly pollEmitter = new Emitter<FleetPoll>();
  private readonly stateEmitter = new Emitter<FleetState>();
  private readonly problemEmitter = new Emitter<string>();
  private current: FleetState = { kind: 'stopped', problems: [] };
  private announced = new Set<string>();
  private lastPoll: FleetPoll | undefined;
  private readonly schedule: PollSchedule<FleetPoll>;
  private readonly holds: RefCount;

  constructor(readonly source: PrometheusFleetSource, options: PrometheusWatchOptions = {}) {
    this.intervalMs = Math.max(1000, options.intervalMs ?? 5000);
    this.latencyWindowS = options.latencyWindowS ?? 60;
    this.samples = new RingBuffer(options.historySize ?? 2000);
    this.schedule = new PollSchedule(this.intervalMs, (signal) => this.poll(signal));
    this.holds = new RefCount(
      () => {
        this.setState({ kind: 'starting', problems: [] });
        this.schedule.start();
      },
      () => this.stop(),
    );
  }

  onPoll(listener: (poll: FleetPoll) => void): Disposable {
    return this.pollEmitter.on(listener);
  }

  /** Every change of state (for the status bar). */
  onState(listener: (state: FleetState) => void): Disposable {
    return this.stateEmitter.on(listener);
  }

  /** One line per problem when it starts (for the log): never once per poll. */
  onProblem(listener: (message: string) => void): Disposable {
    return this.problemEmitter.on(listener);
  }

  get state(): FleetState {
    return this.current;
  }

  /** The last GPU sample (the GpuSampler's latest()). */
  latest(): FleetGpuSample | undefined {
    return this.samples.last();
  }

  get latestPoll(): FleetPoll | undefined {
    return this.lastPoll;
  }

  samplesBetween(t0: number, t1: number): FleetGpuSample[] {
    return this.samples.toArray().filter((s) => s.ts >= t0 && s.ts <= t1);
  }

  /** VRAM / utilisation summary over [t0, t1] from the polled samples (GpuWindowSource). */
  summarize(t0: number, t1: number): GpuWindowSummary {
    return summarizeGpuWindow(this.samples.toArray().filter((s) => s.ts <= t1), { t0, t1 });
  }

  acquire(): Disposable {
    return this.holds.acquire();
  }

  /** One poll now, outside the schedule. */
  pollNow(): Promise<FleetPoll> {
    return this.schedule.runNow();
  }

  dispose(): void {
    this.holds.reset();
    this.stop();
  }

  private stop(): void {
    this.schedule.stop();
    this.setState({ kind: 'stopped', problems: [] });
  }

  private async poll(signal: AbortSignal): Promise<FleetPoll> {
    const ts = Date.now();
    const problems: FleetState['problems'] = [];
    const out: FleetPoll = { ts };
    try {
      const [g, s, l] = await Promise.all([this.source.gpus(undefined, signal), this.source.servers(undefined, signal), this.source.latency(this.latencyWindowS, undefined, signal)]);
      if (s.problem) problems.push(s.problem);
      else {
        out.servers = s.servers;
        out.latency = l;
      }
      if (g.problem) problems.push(g.problem);
      else {
        out.gpus = g.sample;
        this.samples.push(g.sample);
      }
    } catch (err) {
      if (signal.aborted) return out;
      const kind = err instanceof PrometheusError && err.kind === 'unreachable' ? 'unreachable' : 'error';
      problems.push({ kind, message: (err as Error).message });
    }
    this.lastPoll = out;
    const first = problems[0];
    this.setState(first ? { kind: first.kind, message: first.message, problems } : { kind: 'ok', problems });
    this.pollEmitter.emit(out);
    return out;
  }

  private setState(state: FleetState): void {
    const now = new Set(state.problems.map((p) => p.message));
    for (const p of state.problems) if (!this.announced.has(p.message)) this.problemEmitter.emit(p.message);
    if (state.kind !== 'starting' && state.kind !== 'stopped') this.announced = now;
    const same = state.kind === this.current.kind && state.message === this.current.message && state.problems.length === this.current.problems.length;
    this.current = state;
    if (!same) this.stateEmitter.emit(state);
  }
}
