// "Run model comparison": replays recorded traffic (or a sample of the workspace) against
// two or more profiles with a cancellable progress notification, saves the report, and
// shows it in the panel. The work itself is src/core/compare, shared with the CLI.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { estimateLineTokens, runComparison, selectCases, toCsv, toJson, toMarkdown, toPublishedTable, type ComparisonReport, type GpuWindowSource } from '../core/compare';
import type { ModelProfile } from '../core/profiles';
import type { ContextBuilder } from '../core/pipeline/completeAt';
import type { RecordStore } from '../core/store/recordStore';
import type { ComparisonView } from '../protocol';
import { toView } from './comparisonView';
import { ProcessVramPoller } from '../core/gpu/processVram';
import { config } from './config';
import { log } from './log';

export interface ComparisonArgs {
  /** Profile names; without them the user picks. */
  profiles?: string[];
  /** Cases to replay. Default 30. */
  count?: number;
  /** Concurrency levels to sweep (e.g. [1, 2, 4, 8]); without them (and profiles) the user picks. Default 1. */
  concurrency?: number[];
  /** Keep doubling the last level while TTFT p90 meets the SLO, up to this many in flight. */
  concurrencySearchMax?: number;
}

/** How far the editor's doubling search goes (a user's own GPU, not a cluster). */
export const EDITOR_SEARCH_MAX = 32;

export interface ComparisonDeps {
  store: RecordStore;
  /** None when GPU polling is off. */
  sampler: () => GpuWindowSource | undefined;
  reportsDir: string;
  apiKeyFor: (p: ModelProfile) => Promise<string | undefined>;
  onReport: (view: ComparisonView) => void;
  /** Where prompts are built (a worker thread, off the editor's event loop). */
  context?: ContextBuilder;
}

const DEFAULT_CASES = 30;

interface Levels {
  concurrency: number[];
  searchMax?: number;
}

/** The concurrency levels, as the CLI's --concurrency: given in `args`, else picked; undefined when the user gave up. */
async function chooseLevels(args: ComparisonArgs): Promise<Levels | undefined> {
  if (args.concurrency || args.profiles) return { concurrency: args.concurrency ?? [1], ...(args.concurrencySearchMax ? { searchMax: args.concurrencySearchMax } : {}) };
  const items: (vscode.QuickPickItem & Levels)[] = [
    { label: '1', description: vscode.l10n.t('one request at a time, as the editor sends them'), concurrency: [1] },
    { label: '1, 2', description: vscode.l10n.t('throughput and TTFT per level, scaling against 1'), concurrency: [1, 2] },
    { label: '1, 2, 4', description: vscode.l10n.t('throughput and TTFT per level, scaling against 1'), concurrency: [1, 2, 4] },
    { label: '1, 2, 4, 8', description: vscode.l10n.t('throughput and TTFT per level, scaling against 1'), concurrency: [1, 2, 4, 8] },
    { label: vscode.l10n.t('1, 2, 4, … up to {0}', EDITOR_SEARCH_MAX), description: vscode.l10n.t('doubling while TTFT p90 meets the SLO: the highest concurrency within it'), concurrency: [1], searchMax: EDITOR_SEARCH_MAX },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Requests in flight per profile (each level replays every case)'), placeHolder: vscode.l10n.t('Concurrency levels') });
  return pick && { concurrency: pick.concurrency, ...(pick.searchMax ? { searchMax: pick.searchMax } : {}) };
}

/** Per-process GPU memory (nvidia-smi), as the CLI's --gpu: each local server's own VRAM; none on AMD or with polling off. */
function processVramSource(): ProcessVramPoller | undefined {
  const tool = config.gpuTool();
  return tool === 'auto' || tool === 'nvidia-smi' ? new ProcessVramPoller({ intervalMs: 500 }) : undefined;
}

/** The profiles named in `args`, or those the user picks; undefined when the user gave up. */
async function chooseProfiles(args: ComparisonArgs): Promise<ModelProfile[] | undefined> {
  const { profiles } = config.profiles();
  let chosen: ModelProfile[];
  if (args.profiles) {
    chosen = profiles.filter((p) => args.profiles!.includes(p.name));
    const missing = args.profiles.filter((n) => !chosen.some((p) => p.name === n));
    if (missing.length) throw new Error(vscode.l10n.t('No profile named {0} in "completionLab.profiles".', missing.map((m) => `"${m}"`).join(', ')));
  } else {
    if (profiles.length < 2) {
      const [add, open] = [vscode.l10n.t('Add a profile'), vscode.l10n.t('Open settings')];
      const pick = await vscode.window.showWarningMessage(vscode.l10n.t('A comparison needs at least two model profiles in "completionLab.profiles" (for example the same server with two templates, or two vLLM instances).'), add, open);
      if (pick === add) await vscode.commands.executeCommand('completionLab.selectModel');
      if (pick === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'completionLab.profiles');
      return undefined;
    }
    const picks = await vscode.window.showQuickPick(profiles.map((p) => ({ label: p.name, description: `${p.model || vscode.l10n.t('(server default)')} · ${p.template}`, detail: p.endpoint, picked: true, p })), { canPickMany: true, title: vscode.l10n.t('Compare which profiles? (two or more)') });
    if (!picks) return undefined;
    chosen = picks.map((x) => x.p);
  }
  if (chosen.length < 2) throw new Error(vscode.l10n.t('Pick at least two profiles to compare.'));
  return chosen;
}

export async function runComparisonCommand(deps: ComparisonDeps, args: ComparisonArgs = {}): Promise<ComparisonReport | undefined> {
  const chosen = await chooseProfiles(args);
  if (!chosen) return undefined;
  const levels = await chooseLevels(args);
  if (!levels) return undefined;
  const store = deps.store;
  await store.flush().catch(() => undefined);
  const { records } = await store.readAll();
  const selection = await selectCases({
    records,
    workspaceDirs: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    count: args.count ?? DEFAULT_CASES,
    // The tokenizer runs only in the prompt worker: an estimate draws spots across the length classes.
    lineTokens: estimateLineTokens,
    cursor: config.compareCursor(),
  });
  if (selection.cases.length === 0) throw new Error(vscode.l10n.t('Nothing to replay: {0}', selection.note));
  log().info(`Comparison: ${chosen.map((p) => p.name).join(' vs ')} on ${selection.cases.length} cases (${selection.note}).`);

  const sampler = deps.sampler();
  const processVram = processVramSource();
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Completion Lab: comparing models'), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      let last = 0;
      try {
        return await runComparison({
          cases: selection.cases,
          profiles: chosen,
          budgetTokens: config.contextTokens(),
          concurrency: levels.concurrency,
          ...(levels.searchMax ? { concurrencySearch: { max: levels.searchMax } } : {}),
          ...(processVram ? { processVram } : {}),
          // One uncounted request per profile keeps a server's cold start out of the numbers.
          warmupRequests: 1,
          signal: controller.signal,
          ...(sampler ? { gpuSampler: sampler } : {}),
          apiKeyFor: deps.apiKeyFor,
          ...(deps.context ? { context: deps.context } : {}),
          onProgress: (done, total, current) => {
            // The doubling search adds levels as it goes: the bar never moves back.
            const pct = (done / total) * 100;
            progress.report({ increment: Math.max(0, pct - last), message: `${current.profile}${current.concurrency && current.concurrency > 1 ? ` ×${current.concurrency}` : ''}: ${done}/${total}` });
            last = Math.max(last, pct);
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );

  const base = await saveReport(report, deps.reportsDir);
  deps.onReport(toView(report, `${base}.md`));
  log().info(`Comparison ${report.cancelled ? 'cancelled, partial report' : 'done'}: ${base}.md`);
  if (!args.profiles) await announce(report, base, selection.cases.length, chosen.length);
  return report;
}

/** Writes the report in its four forms; returns their common path without extension. */
async function saveReport(report: ComparisonReport, dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const base = path.join(dir, `comparison-${new Date(report.finishedAt).toISOString().replace(/[:.]/g, '-')}`);
  await fs.writeFile(`${base}.json`, toJson(report));
  await fs.writeFile(`${base}.md`, toMarkdown(report));
  await fs.writeFile(`${base}.csv`, toCsv(report));
  await fs.writeFile(`${base}.table.md`, toPublishedTable(report));
  return base;
}

async function announce(report: ComparisonReport, base: string, cases: number, profiles: number): Promise<void> {
  const [show, open] = [vscode.l10n.t('Show in panel'), vscode.l10n.t('Open report')];
  const pick = await vscode.window.showInformationMessage(
    report.cancelled ? vscode.l10n.t('Completion Lab: comparison cancelled (partial report kept), {0} cases × {1} profiles.', cases, profiles) : vscode.l10n.t('Completion Lab: comparison done, {0} cases × {1} profiles.', cases, profiles),
    show, open,
  );
  if (pick === show) await vscode.commands.executeCommand('completionLab.showPanel');
  if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(`${base}.md`));
}
