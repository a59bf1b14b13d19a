// Messages between the extension host and the profiling panel, both ways. The host owns
// the data; the panel says "ready" and is (re)hydrated with the current aggregates.

export interface RecentPoint {
  ts: number;
  ttftMs?: number | undefined;
  e2eMs?: number | undefined;
  /** Keystroke to ghost text: the wait (adaptive debounce) plus the request. */
  keystrokeToShownMs?: number | undefined;
  debounceMs?: number | undefined;
  decodeTokensPerSec?: number | undefined;
  outputTokens?: number | undefined;
  outcome: string;
  profile: string;
}

export interface DistributionView {
  count: number;
  mean?: number | undefined;
  std?: number | undefined;
  p50?: number | undefined;
  p90?: number | undefined;
  p99?: number | undefined;
}

export interface ProfileRow {
  profile: string;
  count: number;
  failureRate: number;
  acceptanceRate?: number | undefined;
  ttftMs: DistributionView;
  e2eMs: DistributionView;
  tpotMs: DistributionView;
  decodeTokensPerSec: DistributionView;
  goodput?: number | undefined;
  ttftSloMs?: number | undefined;
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
  model?: string | undefined;
  error?: string | undefined;
  count: number;
  failures: number;
  ttftP50?: number | undefined;
  ttftP90?: number | undefined;
  ttftP99?: number | undefined;
  /** TTFT of every finished request, as a CDF (thinned to a bounded number of steps). */
  ttftCdf?: CdfPointView[] | undefined;
  e2eP50?: number | undefined;
  decodeP50?: number | undefined;
  throughput?: number | undefined;
  goodput?: number | undefined;
  exactMatch?: number | undefined;
  editSim?: number | undefined;
  editSimFirstLine?: number | undefined;
  bracketsBalanced?: number | undefined;
  parsedBefore?: number | undefined;
  /** The card's peak (every process on it). */
  vramPeakMiB?: number | undefined;
  utilMeanPct?: number | undefined;
  utilStdPct?: number | undefined;
  /** The card(s) the model ran on: every process's memory (labelled as the card's). */
  cardVram?: { idleMiB?: number | undefined; peakMiB?: number | undefined; totalMiB?: number | undefined } | undefined;
  serverTtftMs?: number | undefined;
  parsesAfter?: number | undefined;
  coldTtftMs?: number | undefined;
  loadMs?: number | undefined;
  /** The model server's own processes' memory; gpuNote says why when it could not be attributed. */
  modelVram?: { idleMiB?: number | undefined; firstTokenMiB?: number | undefined; peakMiB?: number | undefined; stdMiB?: number | undefined; utilShared?: boolean | undefined } | undefined;
  gpuNote?: string | undefined;
  maxConcurrencyWithinSlo?: number | null | undefined;
  sweep?: { concurrency: number; throughput?: number | undefined; scaling?: number | undefined; ttftP50?: number | undefined; ttftP90?: number | undefined; goodput?: number | undefined }[] | undefined;
  lengthClasses?: { name: string; count: number; ttftMeanMs?: number | undefined; ttftStdMs?: number | undefined; ttftP50Ms?: number | undefined }[] | undefined;
  timeline?: TimelineView | undefined;
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
  savedTo?: string | undefined;
  /** Workspace cases whose cursor sat at a line end. */
  lineEndCases?: number | undefined;
  /** Each profile's quality against the first profile's, paired on the same cases. */
  qualityGaps?: QualityGapView[] | undefined;
}

export interface QualityGapView {
  profile: string;
  against: string;
  cases: number;
  exactThis: number;
  exactAgainst: number;
  /** McNemar's exact p over the cases only one of the two got exactly right. */
  exactP: number;
  editSimDiff: number;
  editSimInterval?: [number, number] | undefined;
  /** p below 0.05, or an edit-similarity interval that leaves out 0. */
  real: boolean;
}

/** One GPU read through Prometheus (NVIDIA's DCGM exporter series). */
export interface FleetGpuView {
  index: number;
  name: string | null;
  hostname?: string;
  /** The pod the exporter says holds the GPU (its Kubernetes mapping). */
  pod?: string;
  utilGpuPct: number | null;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
  powerW: number | null;
}

/** One model server replica (a Prometheus scrape target) and the GPUs its pod holds. */
export interface ReplicaView {
  /** `pod` where Prometheus has one, else `instance`. */
  name: string;
  instance: string;
  /** Requests it served since it started (its TTFT histogram count). */
  requests?: number;
  /** Server-side TTFT mean over the rate window (undefined: no request in it). */
  ttftMeanMs?: number;
  requestsPerSec?: number;
  running?: number;
  waiting?: number;
  /** 0..100 */
  kvCachePct?: number;
  gpus: FleetGpuView[];
}

/**
 * The panel's per-replica view (and the status bar's fleet lines): a profile's replicas and
 * GPUs as its Prometheus holds them, with the fleet's totals (counts and VRAM summed,
 * utilisation and KV cache averaged, TTFT request-weighted).
 */
export interface ReplicasView {
  /** Prometheus' origin. */
  url: string;
  /** The label matchers of the replicas and of their GPUs, as PromQL. */
  selector: string;
  gpuSelector: string;
  /** 'starting' | 'ok' | 'stopped' | 'unreachable' | 'no-match' | 'no-gpu-series' | 'no-dcgm-labels' | 'error' */
  state: string;
  /** Why a part is missing, one line each (also written to the log, once). */
  problems: string[];
  /** Epoch ms of the poll shown; undefined before the first. */
  ts?: number;
  /** The TTFT mean's and request rate's window, seconds. */
  windowS: number;
  replicas: ReplicaView[];
  /** GPUs the selector picked that no replica's pod holds (or with no pod label). */
  otherGpus: FleetGpuView[];
  total: {
    replicas: number;
    requests?: number;
    ttftMeanMs?: number;
    ttftP50Ms?: number;
    ttftP90Ms?: number;
    requestsPerSec?: number;
    running?: number;
    waiting?: number;
    kvCachePct?: number;
    gpus: number;
    utilMeanPct?: number;
    memUsedMiB?: number;
    memTotalMiB?: number;
    powerW?: number;
  };
}

export interface PanelState {
  comparison?: ComparisonView | undefined;
  /** Set when the active profile's numbers come from a Prometheus. */
  replicas?: ReplicasView | undefined;
  activeProfile?: string | undefined;
  model?: string | undefined;
  serverState: string;
  serverMessage?: string | undefined;
  serverMetrics?: { kvCacheUsagePct?: number | undefined; running?: number | undefined; waiting?: number | undefined; ttftMeanMs?: number | undefined; genTokensPerSec?: number | undefined } | undefined;
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
