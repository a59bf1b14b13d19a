// The shapes every GPU tool's output is turned into, whatever the vendor. A value the tool
// could not give (`[N/A]`, `[Not Supported]`, "N/A") is null, never 0: 0 % and "unknown" differ.

export type GpuToolName = 'nvidia-smi' | 'amd-smi' | 'rocm-smi';
export type GpuToolChoice = 'auto' | GpuToolName;

export interface GpuReading {
  index: number;
  name: string | null;
  utilGpuPct: number | null;
  utilMemPct: number | null;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
  powerW: number | null;
  tempC: number | null;
  smClockMHz: number | null;
}

export interface GpuProcess {
  pid: number;
  name: string;
  memMiB: number | null;
}

export interface GpuSample {
  /** Epoch ms when the sample was read. */
  ts: number;
  gpus: GpuReading[];
  /** Latest per-process VRAM reading (refreshed at a lower rate than the sample). */
  processes: GpuProcess[];
}

export type SamplerStateKind = 'stopped' | 'starting' | 'running' | 'restarting' | 'no-gpu-tool' | 'failed';

export interface SamplerState {
  kind: SamplerStateKind;
  tool?: GpuToolName;
  pid?: number;
  /** For 'restarting': ms until the next attempt. */
  retryInMs?: number;
  /** Human-readable detail: why it stopped, failed or restarts. */
  message?: string;
}

export type { Disposable } from '../lifecycle/disposable';
