// A comparison report as the panel shows it: the one mapping from core's report to the
// protocol's rows (no vscode import, so unit tests check it against the report itself).
// Chart data is computed here, on the host, from the report's own numbers: the panel's
// charts and their text alternatives read the same values as the saved report.
import { qualityGaps, type ComparisonReport, type ProfileResult } from '../core/compare';
import { empiricalCdf } from '../core/stats/cdf';
import type { ComparisonRow, ComparisonView } from '../protocol';

export function toView(report: ComparisonReport, savedTo?: string): ComparisonView {
  return {
    finishedAt: report.finishedAt,
    cases: report.cases,
    source: report.source,
    cancelled: report.cancelled,
    ttftSloMs: report.ttftSloMs,
    ...(report.concurrencySearch ? { concurrencySearchMax: report.concurrencySearch.max } : {}),
    savedTo,
    rows: report.profiles.map(toRow),
    ...(report.lineEndCases ? { lineEndCases: report.lineEndCases } : {}),
    qualityGaps: qualityGaps(report).map(({ profile, against, q, real }) => ({
      profile, against, cases: q.cases, exactThis: q.exactA, exactAgainst: q.exactB, exactP: q.exactP, editSimDiff: q.editSimDiff, editSimInterval: q.editSimInterval, real,
    })),
  };
}

function toRow(p: ProfileResult): ComparisonRow {
  const attributed = p.modelGpu?.attribution === 'process' ? p.modelGpu : undefined;
  const card = p.modelGpu?.card;
  return {
    profile: p.name,
    status: p.status,
    model: p.model,
    error: p.error,
    count: p.count,
    failures: p.failures,
    ttftP50: p.ttftMs.p50,
    ttftP90: p.ttftMs.p90,
    ttftP99: p.ttftMs.p99,
    // The first level's requests: the same ones the headline percentiles are from.
    ttftCdf: empiricalCdf((p.results ?? []).filter((r) => r.status === 'ok').map((r) => r.timings?.ttftMs)),
    e2eP50: p.e2eMs.p50,
    decodeP50: p.decodeTokensPerSec.p50,
    throughput: p.throughputTokensPerSec,
    goodput: p.goodput,
    exactMatch: p.exactMatchRate,
    editSim: p.meanEditSim,
    editSimFirstLine: p.meanEditSimFirstLine,
    bracketsBalanced: p.bracketsBalancedRate,
    parsedBefore: p.parsedBeforeRate,
    vramPeakMiB: card?.vramPeakMiB ?? p.gpu?.vramPeakMiB,
    cardVram: card ? { idleMiB: card.vramIdleMiB, peakMiB: card.vramPeakMiB, totalMiB: card.memTotalMiB } : p.gpu ? { idleMiB: p.gpu.vramIdleMiB, peakMiB: p.gpu.vramPeakMiB } : undefined,
    utilMeanPct: p.gpu?.utilMeanPct,
    utilStdPct: p.gpu?.utilStdPct,
    serverTtftMs: p.server?.window.meanTtftMs,
    parsesAfter: p.parsesAfterRate,
    coldTtftMs: p.coldTtftMs,
    loadMs: p.load?.readyMs,
    modelVram: attributed
      ? { idleMiB: attributed.vramIdleMiB, firstTokenMiB: attributed.vramAtFirstTokenMiB, peakMiB: attributed.vramPeakMiB, stdMiB: attributed.vramStdMiB, utilShared: attributed.utilShared }
      : undefined,
    gpuNote: p.modelGpu?.reason,
    maxConcurrencyWithinSlo: p.maxConcurrencyWithinSlo,
    sweep: p.sweep?.map((l) => ({ concurrency: l.concurrency, throughput: l.throughputTokensPerSec, scaling: l.scaling, ttftP50: l.ttftMs.p50, ttftP90: l.ttftMs.p90, goodput: l.goodput })),
    lengthClasses: p.lengthClasses?.map((c) => ({ name: c.name, count: c.count, ttftMeanMs: c.ttftMeanMs, ttftStdMs: c.ttftStdMs, ttftP50Ms: c.ttftP50Ms })),
    timeline: p.timeline,
  };
}
