// GpuSampler: polls the GPU only while someone holds it (ref-counted acquire()).
//
// nvidia-smi: ONE long-running `--query-gpu=... -lms N` child whose stdout lines are grouped
// into samples (a tick ends when the index wraps to the first index, or once all GPUs seen
// in the first tick have arrived). Spawning nvidia-smi per sample costs ~25 ms CPU; the loop
// ~1 ms (DESIGN.md "GPU polling facts"). Per-process VRAM comes from `--query-compute-apps`,
// spawned at a lower rate. If the child dies it is restarted with exponential backoff
// (1 s -> 30 s), each step reported as a state, and given up ('failed') after maxRestarts
// in a row without a sample. A loop that runs but prints nothing usable (garbage, or
// silence) counts as failed after stallMs. AMD tools have no loop mode: spawned per sample.
// No tool on PATH: one 'no-gpu-tool' state, nothing retried.
import * as l10n from '@vscode/l10n';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { Emitter } from '../lifecycle/emitter';
import { RefCount } from '../lifecycle/refCount';
import { RingBuffer } from './ringBuffer';
import { chooseTool, findOnPath, noGpuToolMessage } from './findTool';
import { appsQueryArgs, detectInvalidField, gpuQueryArgs, GPU_QUERY_FIELDS, parseComputeApps, parseGpuLine } from './nvidiaSmi';
import { AMD_SMI_ARGS, parseAmdSmiMetric, parseRocmSmi, ROCM_SMI_ARGS } from './amdSmi';
import { summarizeGpuWindow, type GpuWindowSummary } from './summary';
import type { Disposable, GpuProcess, GpuReading, GpuSample, GpuToolChoice, GpuToolName, SamplerState } from './types';

export const MIN_INTERVAL_MS = 200;

export interface GpuSamplerOptions {
  /** Sample period; floored at 200 ms (utilisation is averaged over 1/6-1 s anyway). Default 500. */
  intervalMs?: number;
  tool?: GpuToolChoice;
  /** How often per-process VRAM is read (nvidia-smi only). Default 5000. */
  processIntervalMs?: number;
  /** Samples kept for samplesBetween(). Default 3600 (30 min at 500 ms). */
  historySize?: number;
  /** Environment for the tool (its PATH decides which tool is found). Default process.env. */
  env?: NodeJS.ProcessEnv;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Restarts in a row without a single sample before giving up ('failed'). Default 3. */
  maxRestarts?: number;
  /** A running loop with no usable sample for this long is restarted. Default max(10 s, 10 intervals). */
  stallMs?: number;
}

export class GpuSampler {
  readonly intervalMs: number;
  private readonly toolChoice: GpuToolChoice;
  private readonly processIntervalMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRestarts: number;
  private readonly stallMs: number;
  private lastSampleAt = 0;
  private readonly samples: RingBuffer<GpuSample>;
  private readonly sampleEmitter = new Emitter<GpuSample>();
  private readonly stateEmitter = new Emitter<SamplerState>();

  private readonly holds = new RefCount(() => this.start(), () => this.stop());
  /** Bumped on every start and stop, so callbacks of an old child are ignored. */
  private generation = 0;
  private current: SamplerState = { kind: 'stopped' };
  private child: ChildProcess | undefined;
  private childExited: Promise<void> = Promise.resolve();
  private timers = new Set<NodeJS.Timeout>();
  private attempt = 0;
  private processes: GpuProcess[] = [];
  private pending: GpuReading[] = [];
  private pendingTs = 0;
  private gpusPerTick = 0;

  constructor(options: GpuSamplerOptions = {}) {
    const asked = options.intervalMs ?? 500;
    this.intervalMs = Number.isFinite(asked) ? Math.max(MIN_INTERVAL_MS, Math.round(asked)) : 500;
    this.toolChoice = options.tool ?? 'auto';
    this.processIntervalMs = Math.max(1000, options.processIntervalMs ?? 5000);
    this.env = options.env ?? process.env;
    this.backoffInitialMs = options.backoffInitialMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.stallMs = options.stallMs ?? Math.max(10_000, this.intervalMs * 10);
    this.samples = new RingBuffer(options.historySize ?? 3600);
  }

  onSample(listener: (sample: GpuSample) => void): Disposable {
    return this.sampleEmitter.on(listener);
  }

  onState(listener: (state: SamplerState) => void): Disposable {
    return this.stateEmitter.on(listener);
  }

  get state(): SamplerState {
    return this.current;
  }

  /** Start sampling (if not already) until the returned disposable is disposed by every holder. */
  acquire(): Disposable {
    return this.holds.acquire();
  }

  get holderCount(): number {
    return this.holds.count;
  }

  /** Resolves once the sampling child (if any) has exited. */
  whenChildExited(): Promise<void> {
    return this.childExited;
  }

  /** Stops now whoever holds it (extension shutdown). */
  dispose(): void {
    this.holds.reset();
    this.stop();
  }

  latest(): GpuSample | undefined {
    return this.samples.last();
  }

  /** Kept samples with t0 <= ts <= t1, oldest first. */
  samplesBetween(t0: number, t1: number): GpuSample[] {
    return this.samples.toArray().filter((s) => s.ts >= t0 && s.ts <= t1);
  }

  /** VRAM idle / at first token / peak / std and util mean / std over [t0, t1]. */
  summarize(t0: number, t1: number, firstTokenTs?: number, gpuIndex?: number): GpuWindowSummary {
    const all = this.samples.toArray().filter((s) => s.ts <= t1);
    const firstIn = all.findIndex((s) => s.ts >= t0);
    const from = firstIn > 0 ? firstIn - 1 : Math.max(0, firstIn);
    const opts: Parameters<typeof summarizeGpuWindow>[1] = { t0, t1 };
    if (firstTokenTs !== undefined) opts.firstTokenTs = firstTokenTs;
    if (gpuIndex !== undefined) opts.gpuIndex = gpuIndex;
    return summarizeGpuWindow(firstIn < 0 ? all.slice(-1) : all.slice(from), opts);
  }

  private setState(next: SamplerState): void {
    const prev = this.current;
    this.current = next;
    // Report changes only: a repeated identical state (e.g. no tool, twice) is not news.
    if (prev.kind === next.kind && prev.message === next.message && prev.pid === next.pid && prev.retryInMs === next.retryInMs) return;
    this.stateEmitter.emit(next);
  }

  private start(): void {
    const gen = ++this.generation;
    this.attempt = 0;
    this.processes = [];
    const tool = chooseTool(this.toolChoice, this.env);
    if (!tool) {
      const message = this.toolChoice === 'auto' ? noGpuToolMessage() : l10n.t('{0} is not on PATH. GPU stats need it on the machine that runs the model server.', this.toolChoice);
      this.setState({ kind: 'no-gpu-tool', message });
      return;
    }
    this.setState({ kind: 'starting', tool });
    if (tool === 'nvidia-smi') {
      this.spawnLoop(gen, tool);
      this.pollProcesses(gen, tool);
    } else {
      this.pollAmd(gen, tool);
    }
  }

  private stop(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.killChild();
    if (this.current.kind !== 'no-gpu-tool' && this.current.kind !== 'failed') this.setState({ kind: 'stopped' });
  }

  private later(gen: number, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (gen === this.generation) fn();
    }, ms);
    this.timers.add(t);
  }

  private killChild(): void {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // nvidia-smi exits on SIGTERM; if a wedged driver call keeps it alive, do not leave it behind.
    const hard = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 2000);
    hard.unref();
    child.once('exit', () => clearTimeout(hard));
  }

  /** Gives up after maxRestarts in a row: a tool that cannot sample will not start to. */
  private gaveUp(gen: number, tool: GpuToolName, reason: string): boolean {
    if (this.attempt < this.maxRestarts) return false;
    if (gen === this.generation) this.generation++;
    this.killChild();
    this.setState({ kind: 'failed', tool, message: l10n.t('{0}. Gave up after {1} restarts; GPU stats are off until the tool works (check it by running it by hand).', reason, this.attempt) });
    return true;
  }

  private scheduleRestart(gen: number, tool: GpuToolName, reason: string): void {
    if (this.gaveUp(gen, tool, reason)) return;
    const delay = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** this.attempt);
    this.attempt++;
    this.setState({ kind: 'restarting', tool, retryInMs: delay, message: retrying(reason, delay) });
    this.later(gen, delay, () => this.spawnLoop(gen, tool));
  }

  private spawnLoop(gen: number, tool: GpuToolName): void {
    const exe = findOnPath(tool, this.env) ?? tool;
    const fields = GPU_QUERY_FIELDS;
    const child = spawn(exe, gpuQueryArgs(fields, this.intervalMs), { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.pending = [];
    this.gpusPerTick = 0;
    let stderrTail = '';
    let firstLine: string | undefined;
    let fatal: string | undefined;
    let resolveExit!: () => void;
    this.childExited = new Promise((r) => (resolveExit = r));

    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderrTail = (stderrTail + d).slice(-2000)));
    const rl = readline.createInterface({ input: child.stdout!, crlfDelay: Infinity });
    rl.on('line', (line) => {
      if (gen !== this.generation) return;
      const invalid = detectInvalidField(line);
      if (invalid) {
        fatal = invalid.message;
        return;
      }
      const row = parseGpuLine(line, fields);
      if (row) this.onGpuLine(row.reading, tool);
      else firstLine ??= line.slice(0, 120);
    });

    // Running but printing nothing usable (garbage, or silence): restart, and in the end give up.
    const spawnedAt = Date.now();
    const watch = (): void => {
      if (this.child !== child) return;
      if (this.lastSampleAt >= Date.now() - this.stallMs && this.lastSampleAt > spawnedAt) return this.later(gen, this.stallMs, watch);
      this.killChild();
      const seconds = Math.round(this.stallMs / 100) / 10;
      this.scheduleRestart(gen, tool, firstLine === undefined
        ? l10n.t('{0} printed nothing in {1} s', tool, seconds)
        : l10n.t('{0} printed only lines it could not read in {1} s, e.g. {2}', tool, seconds, JSON.stringify(firstLine)));
    };
    this.later(gen, this.stallMs, watch);

    child.once('spawn', () => {
      if (gen === this.generation) this.setState({ kind: 'running', tool, pid: child.pid! });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      resolveExit();
      if (gen !== this.generation) return;
      if (err.code === 'ENOENT') {
        this.generation++; // nothing more to try: no respawn loop
        this.setState({ kind: 'no-gpu-tool', message: noGpuToolMessage() });
      } else {
        this.scheduleRestart(gen, tool, l10n.t('{0} could not be started ({1})', tool, err.message));
      }
    });
    child.once('exit', (code, signal) => {
      rl.close();
      resolveExit();
      if (gen !== this.generation || this.child !== child) return;
      this.child = undefined;
      const invalid = detectInvalidField(stderrTail);
      if (fatal || invalid) {
        // An unknown field will be unknown next time too: report it, do not retry.
        this.generation++;
        this.setState({ kind: 'failed', tool, message: fatal ?? invalid!.message });
        return;
      }
      const why = signal ? l10n.t('killed by {0}', signal) : l10n.t('exit code {0}', String(code));
      const detail = stderrTail.trim().split('\n').pop();
      this.scheduleRestart(gen, tool, detail ? l10n.t('{0} stopped ({1}): {2}', tool, why, detail) : l10n.t('{0} stopped ({1})', tool, why));
    });
  }

  private onGpuLine(reading: GpuReading, tool: GpuToolName): void {
    // The index wrapping back to the first one closes the previous tick.
    if (this.pending.length && reading.index === this.pending[0]!.index) this.flushTick(tool);
    if (!this.pending.length) this.pendingTs = Date.now();
    this.pending.push(reading);
    if (this.gpusPerTick && this.pending.length >= this.gpusPerTick) this.flushTick(tool);
  }

  private flushTick(tool: GpuToolName): void {
    if (!this.pending.length) return;
    if (!this.gpusPerTick) this.gpusPerTick = this.pending.length;
    const sample: GpuSample = { ts: this.pendingTs, gpus: this.pending, processes: this.processes };
    this.pending = [];
    this.emitSample(sample, tool);
  }

  private emitSample(sample: GpuSample, tool: GpuToolName): void {
    this.attempt = 0; // healthy again: the next failure starts the backoff from 1 s
    this.lastSampleAt = Date.now();
    if (this.current.kind !== 'running') this.setState({ kind: 'running', tool, ...(this.child?.pid ? { pid: this.child.pid } : {}) });
    this.samples.push(sample);
    this.sampleEmitter.emit(sample);
  }

  private pollProcesses(gen: number, tool: GpuToolName): void {
    const exe = findOnPath(tool, this.env) ?? tool;
    execFile(exe, appsQueryArgs(), { env: this.env, timeout: 10_000 }, (err, stdout) => {
      if (gen !== this.generation) return;
      if (!err) {
        try {
          this.processes = parseComputeApps(stdout);
        } catch {
          // keep the last list; the main loop reports tool problems
        }
      }
      this.later(gen, this.processIntervalMs, () => this.pollProcesses(gen, tool));
    });
  }

  private pollAmd(gen: number, tool: GpuToolName): void {
    const exe = findOnPath(tool, this.env) ?? tool;
    const started = Date.now();
    const args = tool === 'amd-smi' ? AMD_SMI_ARGS : ROCM_SMI_ARGS;
    execFile(exe, args, { env: this.env, timeout: Math.max(10_000, this.intervalMs * 5), maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (gen !== this.generation) return;
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        this.generation++;
        this.setState({ kind: 'no-gpu-tool', message: noGpuToolMessage() });
        return;
      }
      let gpus: GpuReading[] | undefined;
      let problem = err ? err.message.split('\n')[0] : undefined;
      if (!err) {
        try {
          gpus = tool === 'amd-smi' ? parseAmdSmiMetric(stdout) : parseRocmSmi(stdout);
        } catch (e) {
          problem = l10n.t('{0} printed output that is not the JSON expected ({1})', tool, (e as Error).message);
        }
      }
      if (gpus) {
        this.emitSample({ ts: started, gpus, processes: [] }, tool);
        this.later(gen, Math.max(0, this.intervalMs - (Date.now() - started)), () => this.pollAmd(gen, tool));
      } else if (!this.gaveUp(gen, tool, l10n.t('{0} failed: {1}', tool, problem ?? ''))) {
        const delay = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** this.attempt);
        this.attempt++;
        this.setState({ kind: 'restarting', tool, retryInMs: delay, message: retrying(l10n.t('{0} failed: {1}', tool, problem ?? ''), delay) });
        this.later(gen, delay, () => this.pollAmd(gen, tool));
      }
    });
  }
}

/** A restart's state message: what went wrong, and when the next try is. */
function retrying(reason: string, delayMs: number): string {
  return l10n.t('{0}; retrying in {1} s', reason, Math.round(delayMs / 100) / 10);
}
