// Messages between the extension host and the profiling panel, both ways. The host owns
// the data; the panel says "ready" and is (re)hydrated with the current aggregates.

export interface RecentPoint {
  ts: number;
  ttftMs?: number;
  e2eMs?: number;
  /** Keystroke to ghost text: the wait (adaptive debounce) plus the request. */
  keystrokeToShownMs?: number;
  debounceMs?: number;
  decodeTokensPerSec?: number;
  outputTokens?: number;
  outcome: string;
  profile: string;
}

export interface DistributionView {
  count: number;
  mean?: number;
  std?: number;
  p50?: number;
  p90?: number;
  p99?: number;
}

export interface ProfileRow {
  profile: string;
  count: number;
  failureRate: number;
  acceptanceRate?: number;
  ttftMs: DistributionView;
  e2eMs: DistributionView;
  tpotMs: DistributionView;
  decodeTokensPerSec: DistributionView;
  goodput?: number;
  ttftSloMs?: number;
}

export interface GpuView {
  index: number;
  name: string | null;
  utilGpuPct: number | null;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
  powerW: number | null;
  tempC: number | null;
}

/** One step of a CDF: the share `p` of requests with a value at or below `x`. */
export interface CdfPointView {
  x: number;
  p: number;
}

/** A profile's run over time (ms from its start): GPU samples and every request. */
export interface TimelineView {
  durationMs: number;
  gpus?: number[];
  points: { t: number; cardVramMiB?: number; modelVramMiB?: number; utilPct?: number }[];
  requests: { start: number; firstToken?: number; end?: number; concurrency: number; ok: boolean }[];
}

/** One profile's line of a comparison report, as the panel shows it. */
export interface ComparisonRow {
  profile: string;
  status: string;
  model?: string;
  error?: string;
  count: number;
  failures: number;
  ttftP50?: number;
  ttftP90?: number;
  ttftP99?: number;
  /** TTFT of every finished request, as a CDF (thinned to a bounded number of steps). */
  ttftCdf?: CdfPointView[];
  e2eP50?: number;
  decodeP50?: number;
  throughput?: number;
  goodput?: number;
  exactMatch?: number;
  editSim?: number;
  editSimFirstLine?: number;
  bracketsBalanced?: number;
  parsedBefore?: number;
  /** The card's peak (every process on it). */
  vramPeakMiB?: number;
  utilMeanPct?: number;
  utilStdPct?: number;
  /** The card(s) the model ran on: every process's memory (labelled as the card's). */
  cardVram?: { idleMiB?: number; peakMiB?: number; totalMiB?: number };
  serverTtftMs?: number;
  parsesAfter?: number;
  coldTtftMs?: number;
  loadMs?: number;
  /** The model server's own processes' memory; gpuNote says why when it could not be attributed. */
  modelVram?: { idleMiB?: number; firstTokenMiB?: number; peakMiB?: number; stdMiB?: number; utilShared?: boolean };
  gpuNote?: string;
  maxConcurrencyWithinSlo?: number | null;
  sweep?: { concurrency: number; throughput?: number; scaling?: number; ttftP50?: number; ttftP90?: number; goodput?: number }[];
  lengthClasses?: { name: string; count: number; ttftMeanMs?: number; ttftStdMs?: number; ttftP50Ms?: number }[];
  timeline?: TimelineView;
}

export interface ComparisonView {
  finishedAt: number;
  cases: number;
  source: string;
  cancelled: boolean;
  ttftSloMs: number;
  /** The doubling search's bound, when it ran. */
  concurrencySearchMax?: number;
  rows: ComparisonRow[];
  /** Where the full report was saved (JSON and Markdown). */
  savedTo?: string;
}

export interface PanelState {
  comparison?: ComparisonView;
  activeProfile?: string;
  model?: string;
  serverState: string;
  serverMessage?: string;
  serverMetrics?: { kvCacheUsagePct?: number; running?: number; waiting?: number; ttftMeanMs?: number; genTokensPerSec?: number };
  recent: RecentPoint[];
  profiles: ProfileRow[];
  gpus: GpuView[];
  gpuState: string;
  recording: boolean;
  storedRecords: number;
  skippedLines: number;
}

export type HostMessage = { type: 'hydrate'; state: PanelState } | { type: 'update'; state: PanelState };

export type PanelCommand = 'completionLab.exportData' | 'completionLab.clearTraffic' | 'completionLab.selectModel' | 'completionLab.runComparison';
export const PANEL_COMMANDS: readonly PanelCommand[] = ['completionLab.exportData', 'completionLab.clearTraffic', 'completionLab.selectModel', 'completionLab.runComparison'];

export type PanelMessage = { type: 'ready' } | { type: 'command'; command: PanelCommand };

/** Every message from the webview is checked: it is another runtime's input. */
export function isPanelMessage(m: unknown): m is PanelMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready') return true;
  if (t === 'command') return PANEL_COMMANDS.includes((m as { command?: unknown }).command as PanelCommand);
  return false;
}
