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
import { config } from './config';
import { log } from './log';

export interface ComparisonArgs {
  /** Profile names; without them the user picks. */
  profiles?: string[];
  /** Cases to replay. Default 30. */
  count?: number;
  /** Concurrency levels to sweep (e.g. [1, 2, 4, 8]). Default 1. */
  concurrency?: number[];
}

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
  const store = deps.store;
  await store.flush().catch(() => undefined);
  const { records } = await store.readAll();
  const selection = await selectCases({
    records,
    workspaceDirs: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    count: args.count ?? DEFAULT_CASES,
    // The tokenizer runs only in the prompt worker: an estimate draws spots across the length classes.
    lineTokens: estimateLineTokens,
  });
  if (selection.cases.length === 0) throw new Error(vscode.l10n.t('Nothing to replay: {0}', selection.note));
  log().info(`Comparison: ${chosen.map((p) => p.name).join(' vs ')} on ${selection.cases.length} cases (${selection.note}).`);

  const sampler = deps.sampler();
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
          ...(args.concurrency ? { concurrency: args.concurrency } : {}),
          // One uncounted request per profile keeps a server's cold start out of the numbers.
          warmupRequests: 1,
          signal: controller.signal,
          ...(sampler ? { gpuSampler: sampler } : {}),
          apiKeyFor: deps.apiKeyFor,
          ...(deps.context ? { context: deps.context } : {}),
          onProgress: (done, total, current) => {
            const pct = (done / total) * 100;
            progress.report({ increment: pct - last, message: `${current.profile}: ${done}/${total}` });
            last = pct;
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );

  await fs.mkdir(deps.reportsDir, { recursive: true });
  const base = path.join(deps.reportsDir, `comparison-${new Date(report.finishedAt).toISOString().replace(/[:.]/g, '-')}`);
  await fs.writeFile(`${base}.json`, toJson(report));
  await fs.writeFile(`${base}.md`, toMarkdown(report));
  await fs.writeFile(`${base}.csv`, toCsv(report));
  await fs.writeFile(`${base}.table.md`, toPublishedTable(report));
  deps.onReport(toView(report, `${base}.md`));
  log().info(`Comparison ${report.cancelled ? 'cancelled, partial report' : 'done'}: ${base}.md`);
  if (!args.profiles) {
    const [show, open] = [vscode.l10n.t('Show in panel'), vscode.l10n.t('Open report')];
    const pick = await vscode.window.showInformationMessage(
      report.cancelled ? vscode.l10n.t('Completion Lab: comparison cancelled (partial report kept), {0} cases × {1} profiles.', selection.cases.length, chosen.length) : vscode.l10n.t('Completion Lab: comparison done, {0} cases × {1} profiles.', selection.cases.length, chosen.length),
      show, open,
    );
    if (pick === show) await vscode.commands.executeCommand('completionLab.showPanel');
    if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(`${base}.md`));
  }
  return report;
}

export function toView(report: ComparisonReport, savedTo?: string): ComparisonView {
  return {
    finishedAt: report.finishedAt,
    cases: report.cases,
    source: report.source,
    cancelled: report.cancelled,
    ttftSloMs: report.ttftSloMs,
    savedTo,
    rows: report.profiles.map((p) => ({
      profile: p.name,
      status: p.status,
      model: p.model,
      error: p.error,
      count: p.count,
      failures: p.failures,
      ttftP50: p.ttftMs.p50,
      ttftP90: p.ttftMs.p90,
      e2eP50: p.e2eMs.p50,
      decodeP50: p.decodeTokensPerSec.p50,
      throughput: p.throughputTokensPerSec,
      goodput: p.goodput,
      exactMatch: p.exactMatchRate,
      editSim: p.meanEditSim,
      bracketsBalanced: p.bracketsBalancedRate,
      vramPeakMiB: p.modelGpu?.card?.vramPeakMiB ?? p.gpu?.vramPeakMiB,
      utilMeanPct: p.gpu?.utilMeanPct,
      serverTtftMs: p.server?.window.meanTtftMs,
      parsesAfter: p.parsesAfterRate,
      coldTtftMs: p.coldTtftMs,
      loadMs: p.load?.readyMs,
      modelVram: p.modelGpu?.attribution === 'process'
        ? { idleMiB: p.modelGpu.vramIdleMiB, firstTokenMiB: p.modelGpu.vramAtFirstTokenMiB, peakMiB: p.modelGpu.vramPeakMiB, stdMiB: p.modelGpu.vramStdMiB, utilShared: p.modelGpu.utilShared }
        : undefined,
      gpuNote: p.modelGpu?.reason,
      maxConcurrencyWithinSlo: p.maxConcurrencyWithinSlo,
      sweep: p.sweep?.map((l) => ({ concurrency: l.concurrency, throughput: l.throughputTokensPerSec, scaling: l.scaling, ttftP50: l.ttftMs.p50, ttftP90: l.ttftMs.p90, goodput: l.goodput })),
      lengthClasses: p.lengthClasses?.map((c) => ({ name: c.name, count: c.count, ttftMeanMs: c.ttftMeanMs, ttftStdMs: c.ttftStdMs, ttftP50Ms: c.ttftP50Ms })),
    })),
  };
}
