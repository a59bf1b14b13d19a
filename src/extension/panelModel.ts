// What the panel shows, owned in one place: a snapshot of the store (re-read rarely: reading
// 50 MB on every update would load the host while the user types), the records added
// since, and the latest comparison. The panel asks it for its state; it never holds the store.
import * as l10n from '@vscode/l10n';
import type { RecordStore } from '../core/store/recordStore';
import type { CompletionRecord } from '../core/store/record';
import { DEFAULT_TTFT_SLO_MS, summarize } from '../core/stats/summarize';
import type { ComparisonView, PanelState } from '../protocol';
import { toView } from './comparisonView';
import { config } from './config';
import type { LiveStats } from './liveStats';
import { readLatestReport } from './reports';

const SNAPSHOT_MAX_AGE_MS = 30_000;

interface Snapshot {
  records: CompletionRecord[];
  skippedLines: number;
  at: number;
}

export class PanelModel {
  private snapshot: Snapshot | undefined;
  private sinceSnapshot: CompletionRecord[] = [];
  private comparison: ComparisonView | undefined;
  private comparisonLoaded = false;

  constructor(
    private readonly store: RecordStore,
    private readonly stats: LiveStats,
    readonly reportsDir: string,
  ) {}

  /** A record just written to the store. */
  added(record: CompletionRecord): void {
    // Only while a snapshot exists, and only what the panel summarizes: never source text.
    if (!this.snapshot) return;
    const { prefix: _p, suffix: _s, shownText: _t, keptText: _k, ...kept } = record;
    this.sinceSnapshot.push(kept);
  }

  /** A comparison finished: it is the one shown from now on. */
  setComparison(view: ComparisonView): void {
    this.comparison = view;
    this.comparisonLoaded = true;
    this.stats.touch();
  }

  /** The store was cleared: read it afresh next time. */
  forget(): void {
    this.snapshot = undefined;
    this.sinceSnapshot = [];
    this.stats.touch();
  }

  /** A hydrate (panel opened or shown again) reads the store afresh; updates may not. */
  async state(fresh: boolean): Promise<PanelState> {
    if (!this.comparisonLoaded) {
      this.comparisonLoaded = true;
      const latest = await readLatestReport(this.reportsDir);
      if (latest && !this.comparison) this.comparison = toView(latest.report, latest.markdownPath);
    }
    const read = await this.records(fresh);
    const { stats } = this;
    return {
      comparison: this.comparison,
      activeProfile: config.activeProfile().profile?.name,
      model: stats.server.model,
      serverState: stats.server.kind,
      serverMessage: stats.server.message,
      serverMetrics: stats.server.metrics,
      recent: stats.records().map((r) => ({ ts: r.ts, ttftMs: r.timings?.ttftMs, e2eMs: r.timings?.e2eMs, keystrokeToShownMs: r.keystrokeToShownMs, debounceMs: r.debounceMs, decodeTokensPerSec: r.timings?.decodeTokensPerSec, outputTokens: r.timings?.outputTokens, outcome: r.outcome, profile: r.profile })),
      profiles: summarize(read.records, { ttftSloMs: DEFAULT_TTFT_SLO_MS }),
      gpus: stats.gpu?.gpus ?? [],
      replicas: stats.gpuSource.kind === 'prometheus' ? stats.fleet : undefined,
      gpuState: stats.gpuState.kind === 'no-gpu-tool' ? l10n.t('no GPU tool on this machine (nvidia-smi, amd-smi, rocm-smi)') : stats.gpuState.kind,
      recording: config.recording(),
      storedRecords: read.records.length,
      skippedLines: read.skippedLines,
    };
  }

  private async records(fresh: boolean): Promise<{ records: CompletionRecord[]; skippedLines: number }> {
    let snap = this.snapshot;
    if (fresh || !snap || Date.now() - snap.at > SNAPSHOT_MAX_AGE_MS) {
      await this.store.flush().catch(() => undefined);
      const read = await this.store.readAll();
      snap = this.snapshot = { records: read.records, skippedLines: read.skippedLines, at: Date.now() };
      this.sinceSnapshot = [];
    }
    return { records: this.sinceSnapshot.length ? [...snap.records, ...this.sinceSnapshot] : snap.records, skippedLines: snap.skippedLines };
  }
}
