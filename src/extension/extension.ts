// Activation: builds the parts, wires their lifecycles, and reports its own failure.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { destroyAgents } from '../core/client/agent';
import { warmTokenizer } from '../core/context/tokenizer';
import { GpuSampler } from '../core/gpu/sampler';
import { MetricsScraper } from '../core/server/metricsScraper';
import type { GpuToolChoice } from '../core/gpu/types';
import { DEFAULT_TTFT_SLO_MS, summarize } from '../core/stats/summarize';
import { RecordStore } from '../core/store/recordStore';
import type { CompletionRecord } from '../core/store/record';
import type { PanelState } from '../protocol';
import type { CompletionLabApi } from './api';
import { registerCommands } from './commands';
import { runComparisonCommand, toView } from './comparison';
import type { ComparisonView } from '../protocol';
import { readLatestReport } from './reports';
import { affected, config } from './config';
import { LiveStats } from './liveStats';
import { errorText, log } from './log';
import { OutcomeTracker } from './outcomes';
import { ProfilingPanel } from './panel';
import { CompletionProvider } from './provider';
import { ServerConnection } from './serverConnection';
import { ServerManager } from './servers';
import { StatusBar } from './statusBar';

export function activate(context: vscode.ExtensionContext): CompletionLabApi | undefined {
  try {
    return start(context);
  } catch (err) {
    const msg = `Completion Lab failed to start: ${errorText(err)}`;
    log().error(err instanceof Error ? (err.stack ?? msg) : msg);
    void vscode.window.showErrorMessage(msg, 'Open log').then((p) => p && log().show());
    return undefined;
  }
}

function start(context: vscode.ExtensionContext): CompletionLabApi {
  const sub = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const out = log();
  sub(out);
  out.info(`Completion Lab ${String(context.extension.packageJSON.version)} starting (${vscode.env.appName} ${vscode.version}, ${vscode.env.remoteName ?? 'local'}).`);

  const store = new RecordStore({
    dir: path.join(context.globalStorageUri.fsPath, 'records'),
    maxBytes: config.storeMaxBytes(),
    enabled: true,
    recordSource: config.recording(),
  });
  const stats = sub(new LiveStats());

  // The connection to the active profile's server; replaced when the profile changes.
  let connection: ServerConnection | undefined;
  // The server's own /metrics, scraped while someone looks (as the GPU is sampled).
  let scraper: MetricsScraper | undefined;
  let scraperHold: { dispose(): void } | undefined;
  let scraperSubs: { dispose(): void }[] = [];
  const dropScraper = () => {
    scraperHold?.dispose();
    scraperHold = undefined;
    scraperSubs.forEach((d) => d.dispose());
    scraperSubs = [];
    scraper?.dispose();
    scraper = undefined;
  };
  const apiKey = async (): Promise<string | undefined> => {
    const p = config.activeProfile().profile;
    return p ? context.secrets.get(`completionLab.apiKey.${p.apiKeyName || p.name}`) : undefined;
  };
  const reconnect = () => {
    const { profile, errors } = config.activeProfile();
    for (const e of errors) out.warn(e);
    connection = profile ? new ServerConnection(profile, stats, apiKey) : undefined;
    stats.setServer({ kind: 'unknown', endpoint: profile?.endpoint });
    dropScraper();
    if (profile) {
      const s = new MetricsScraper(profile.endpoint, { intervalMs: 5000, ...(profile.model ? { modelName: profile.model } : {}) });
      scraper = s;
      let lastTtft: number | undefined;
      scraperSubs = [
        s.onScrape((m) => {
          const w = s.lastWindow();
          if (w?.meanTtftMs !== undefined) lastTtft = w.meanTtftMs;
          stats.setMetrics({
            kvCacheUsagePct: m.kvCacheUsage !== undefined ? m.kvCacheUsage * 100 : undefined,
            running: m.requestsRunning,
            waiting: m.requestsWaiting,
            ttftMeanMs: lastTtft,
            genTokensPerSec: w?.generationTokensPerSec,
          });
        }),
        s.onError((msg) => out.info(`Server metrics: ${msg}`)),
      ];
    }
    updateHold?.();
    out.info(`Active profile: ${profile ? `${profile.name} -> ${profile.endpoint} (model ${profile.model || 'server default'}, template ${profile.template})` : 'none'}; debounce ${config.debounceMs()} ms; context ${config.contextTokens()} tokens; source recording ${config.recording() ? 'on' : 'off'}.`);
    if (connection) void connection.connect();
  };
  let updateHold: (() => void) | undefined;
  reconnect();
  sub({ dispose: () => { dropScraper(); destroyAgents(); } });

  // The panel's per-profile table reads the store rarely (reading 50 MB on every update
  // would load the host while the user types): a snapshot, plus what was added since.
  let snapshot: { records: CompletionRecord[]; skippedLines: number; at: number } | undefined;
  let sinceSnapshot: CompletionRecord[] = [];
  const SNAPSHOT_MAX_AGE_MS = 30_000;
  const storeView = async (fresh: boolean) => {
    if (fresh || !snapshot || Date.now() - snapshot.at > SNAPSHOT_MAX_AGE_MS) {
      await store.flush().catch(() => undefined);
      const read = await store.readAll();
      snapshot = { records: read.records, skippedLines: read.skippedLines, at: Date.now() };
      sinceSnapshot = [];
    }
    return { records: sinceSnapshot.length ? [...snapshot.records, ...sinceSnapshot] : snapshot.records, skippedLines: snapshot.skippedLines };
  };

  const outcomes = sub(new OutcomeTracker(() => store, () => config.keptDelayMs()));
  const provider = sub(new CompletionProvider({
    connection: () => connection,
    stats,
    outcomes,
    apiKey,
    record: (r: CompletionRecord) => {
      store.append(r);
      sinceSnapshot.push(r);
    },
    gpuWindow: (t0, t1, firstTokenTs) => {
      const g = sampler.summarize(t0, t1, firstTokenTs);
      return g.samples ? { vramAtFirstTokenMiB: g.vramAtFirstTokenMiB, vramPeakMiB: g.vramPeakMiB, utilMeanPct: g.utilMeanPct } : undefined;
    },
  }));
  sub(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider));

  const statusBar = sub(new StatusBar(stats, {
    enabled: () => config.enabled(),
    profileName: () => config.activeProfile().profile?.name,
    profileProblem: () => config.activeProfile().errors[0],
  }));

  // The GPU is sampled only while someone looks: the window has focus or the panel is open.
  let sampler = new GpuSampler({ intervalMs: config.gpuPollMs(), tool: config.gpuTool() as GpuToolChoice });
  let hold: { dispose(): void } | undefined;
  let samplerSubs: { dispose(): void }[] = [];
  const wireSampler = () => {
    samplerSubs.forEach((d) => d.dispose());
    samplerSubs = [
      sampler.onSample((s) => stats.setGpu(s)),
      sampler.onState((s) => {
        if (s.kind === 'no-gpu-tool' || s.kind === 'failed' || s.kind === 'restarting') out.info(`GPU sampler: ${s.kind}${s.message ? ` (${s.message})` : ''}`);
        stats.setGpu(undefined, s);
      }),
    ];
  };
  wireSampler();
  updateHold = () => {
    const watching = vscode.window.state.focused || ProfilingPanel.isOpen;
    const wanted = config.gpuTool() !== 'none' && watching;
    if (wanted && !hold) hold = sampler.acquire();
    else if (!wanted && hold) {
      hold.dispose();
      hold = undefined;
    }
    if (watching && scraper && !scraperHold) scraperHold = scraper.acquire();
    else if (!watching && scraperHold) {
      scraperHold.dispose();
      scraperHold = undefined;
    }
  };
  updateHold();
  sub(vscode.window.onDidChangeWindowState(() => updateHold()));
  sub({ dispose: () => { hold?.dispose(); samplerSubs.forEach((d) => d.dispose()); sampler.dispose(); } });

  const servers = sub(new ServerManager(context.extensionPath));

  const reportsDir = path.join(context.globalStorageUri.fsPath, 'reports');
  let comparison: ComparisonView | undefined;
  let comparisonLoaded = false;
  const panelState = async (fresh: boolean): Promise<PanelState> => {
    if (!comparisonLoaded) {
      comparisonLoaded = true;
      const latest = await readLatestReport(reportsDir);
      if (latest && !comparison) comparison = toView(latest.report, latest.markdownPath);
    }
    const read = await storeView(fresh);
    const active = config.activeProfile().profile;
    return {
      comparison,
      activeProfile: active?.name,
      model: stats.server.model,
      serverState: stats.server.kind,
      serverMessage: stats.server.message,
      serverMetrics: stats.server.metrics,
      recent: stats.records().map((r) => ({ ts: r.ts, ttftMs: r.ttftMs, e2eMs: r.e2eMs, decodeTokensPerSec: r.decodeTokensPerSec, outputTokens: r.outputTokens, outcome: r.outcome, profile: r.profile })),
      profiles: summarize(read.records, { ttftSloMs: DEFAULT_TTFT_SLO_MS }),
      gpus: stats.gpu?.gpus ?? [],
      gpuState: stats.gpuState.kind === 'no-gpu-tool' ? 'no GPU tool on this machine (nvidia-smi, amd-smi, rocm-smi)' : stats.gpuState.kind,
      recording: config.recording(),
      storedRecords: read.records.length,
      skippedLines: read.skippedLines,
    };
  };
  const showPanel = () => {
    const panel = ProfilingPanel.show(context.extensionUri, panelState, stats.onDidChange);
    updateHold();
    panel.panel.onDidDispose(() => setTimeout(() => updateHold?.(), 0));
  };

  const runComparison = (args?: Parameters<typeof runComparisonCommand>[1]) =>
    runComparisonCommand({
      store: () => store,
      sampler: () => sampler,
      reportsDir,
      apiKeyFor: async (p) => context.secrets.get(`completionLab.apiKey.${p.apiKeyName || p.name}`),
      onReport: (view) => {
        comparison = view;
        comparisonLoaded = true;
        stats.touch();
      },
    }, args);
  for (const d of registerCommands({ store: () => store, servers, showPanel, clearCaches: () => { provider.clearCache(); snapshot = undefined; sinceSnapshot = []; stats.touch(); }, secrets: context.secrets, runComparison })) sub(d);

  sub(vscode.workspace.onDidChangeConfiguration((e) => {
    const a = affected(e);
    if (a.profiles) {
      provider.clearCache();
      reconnect();
    }
    if (a.store) store.setRecording({ recordSource: config.recording() });
    if (a.gpu) {
      hold?.dispose();
      hold = undefined;
      sampler.dispose();
      sampler = new GpuSampler({ intervalMs: config.gpuPollMs(), tool: config.gpuTool() as GpuToolChoice });
      wireSampler();
      updateHold();
    }
    statusBar.schedule();
  }));
  sub({ dispose: () => void store.flush().catch(() => undefined) });
  // Load the tokenizer now rather than on the first keystroke.
  const warm = setTimeout(() => {
    try {
      warmTokenizer();
    } catch (err) {
      out.warn(`Tokenizer: ${errorText(err)}`);
    }
  }, 0);
  sub({ dispose: () => clearTimeout(warm) });

  return {
    records: async () => {
      await store.flush();
      return (await store.readAll()).records;
    },
    status: () => statusBar.current && { text: statusBar.current.text, tooltip: statusBar.current.tooltip },
    counters: () => ({ requests: provider.requests, cacheHits: provider.cacheHits }),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
