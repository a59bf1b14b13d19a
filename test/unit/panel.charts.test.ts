// The panel's chart data and text alternatives, from a comparison report: the CDF, the run's
// timeline, requests in flight, and the tables a screen reader reads. Each table must carry
// the report's own numbers (the panel and the saved report never disagree).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { aggregate, type CaseResult, type ComparisonReport } from '../../src/core/compare/report';
import { nextSearchLevel } from '../../src/core/compare/runner';
import { profileTimeline, thin } from '../../src/core/compare/timeline';
import { empiricalCdf } from '../../src/core/stats/cdf';
import { percentileOf } from '../../src/core/stats/describe';
import { toView } from '../../src/extension/comparisonView';
import { inFlightSteps, lengthChart, liveTable, qualityChart, qualityTable, throughputChart, throughputTable, timelineChart, timelineTable, ttftCdfChart, ttftCdfTable, vramChart, vramTable } from '../../webview/chartData';
import { fmtMs, setDisplayLanguage } from '../../webview/format';
import type { GpuSample } from '../../src/core/gpu/types';

function caseResult(i: number, ttftMs: number, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    caseId: `c${i}`, languageId: 'python', startedAt: 1_000_000 + i * 500, status: 'ok', groundTruth: 'x = 1', completion: 'x = 1',
    quality: { exactMatch: i % 2 === 0, editSimFirstLine: 0.5, editSim: 0.5, parses: i % 3 !== 0 },
    timings: { ttftMs, e2eMs: ttftMs + 100, outputTokens: 10, tpotMs: 10, decodeTokensPerSec: 100 } as NonNullable<CaseResult['timings']>,
    promptTokens: i < 3 ? 100 : 600,
    ...extra,
  };
}

function report(): ComparisonReport {
  const fast = aggregate({ name: 'fast', endpoint: 'http://127.0.0.1:1', status: 'ok', model: 'm1', results: [80, 90, 90, 120, 200, 400].map((t, i) => caseResult(i, t)), ttftSloMs: 300, wallMs: 4000, windowStart: 1_000_000, windowEnd: 1_004_000 });
  fast.sweep = [
    { concurrency: 1, ...fast, scaling: 1, windowStart: 0, windowEnd: 1 },
    { concurrency: 2, ...fast, throughputTokensPerSec: 30, scaling: 30 / fast.throughputTokensPerSec!, ttftMs: { count: 6, p50: 150, p90: 350 }, windowStart: 1, windowEnd: 2 },
  ];
  fast.maxConcurrencyWithinSlo = 1;
  fast.modelGpu = { attribution: 'process', pids: [42], gpus: [0], snapshots: 3, vramIdleMiB: 1718, vramAtFirstTokenMiB: 1720, vramPeakMiB: 1730, vramStdMiB: 4, utilShared: true, card: { vramIdleMiB: 5251, vramPeakMiB: 5300, memTotalMiB: 143771 } };
  const remote = aggregate({ name: 'remote', endpoint: 'http://gpu-box:8000', status: 'ok', model: 'm2', results: [300, 310].map((t, i) => caseResult(i, t)), ttftSloMs: 300, wallMs: 2000 });
  remote.modelGpu = { attribution: 'none', reason: 'the endpoint is not this machine', snapshots: 0 };
  return { schemaVersion: 2, startedAt: 0, finishedAt: 1, cancelled: false, cases: 6, source: 'workspace', ttftSloMs: 300, concurrency: 1, concurrencyLevels: [1, 2], profiles: [fast, remote] };
}

describe('panel: chart data from a comparison report', () => {
  it('empiricalCdf: one step per distinct value, ending at 1, thinned to a bound with both ends kept', () => {
    assert.deepEqual(empiricalCdf([90, 80, 90, undefined, NaN, 120]), [{ x: 80, p: 0.25 }, { x: 90, p: 0.75 }, { x: 120, p: 1 }]);
    assert.deepEqual(empiricalCdf([]), []);
    const many = empiricalCdf(Array.from({ length: 1000 }, (_, i) => i), 50);
    assert.equal(many.length, 50);
    assert.deepEqual([many[0], many[49]], [{ x: 0, p: 0.001 }, { x: 999, p: 1 }]);
    assert.ok(many.every((p, i) => i === 0 || (p.x > many[i - 1]!.x && p.p > many[i - 1]!.p)), 'ascending');
  });

  it('the CDF reaches the median at the report\'s p50 and its table holds the report\'s percentiles', () => {
    const r = report();
    const view = toView(r);
    const cdf = view.rows[0]!.ttftCdf!;
    const values = r.profiles[0]!.results.map((c) => c.timings!.ttftMs!);
    assert.equal(cdf[cdf.length - 1]!.x, Math.max(...values));
    assert.ok(cdf.find((p) => p.p >= 0.5)!.x <= percentileOf(values, 50)! + 1e-9);
    const table = ttftCdfTable(view);
    assert.deepEqual(table.rows[0]!.cells.slice(0, 5), ['fast', '6', fmtMs(r.profiles[0]!.ttftMs.p50), fmtMs(r.profiles[0]!.ttftMs.p90), fmtMs(r.profiles[0]!.ttftMs.p99)]);
    assert.equal(table.rows[0]!.cells[5], '400 ms');
    const chart = ttftCdfChart(view);
    assert.deepEqual(chart.series.map((s) => s.label), ['fast', 'remote']);
    assert.deepEqual(chart.series[0]!.data[0], { x: 80, y: 0 }, 'the step line starts at 0');
  });

  it('throughput against concurrency: one line per swept profile, its table the sweep\'s numbers', () => {
    const view = toView(report());
    const chart = throughputChart(view);
    assert.deepEqual(chart.series.map((s) => [s.label, s.axis ?? 'y']), [['fast tokens/s', 'y'], ['fast TTFT p90', 'y2']]);
    assert.deepEqual(chart.series[0]!.data, [{ x: 1, y: view.rows[0]!.sweep![0]!.throughput }, { x: 2, y: 30 }]);
    assert.deepEqual(throughputTable(view).rows.map((r) => r.cells.slice(1, 4)), [['1', view.rows[0]!.sweep![0]!.throughput!.toFixed(1), '1.00x'], ['2', '30.0', `${(30 / view.rows[0]!.sweep![0]!.throughput!).toFixed(2)}x`]]);
  });

  it('VRAM bars are the model server\'s own memory; a profile without per-process data says so and gets no bars', () => {
    const view = toView(report());
    const chart = vramChart(view);
    assert.deepEqual(chart.labels, ['fast']);
    assert.deepEqual(chart.series.map((s) => s.data), [[1718], [1720], [1730]]);
    const rows = vramTable(view).rows;
    assert.deepEqual(rows[0]!.cells, ['fast', '1718 MiB', '1720 MiB', '1730 MiB', '4 MiB', '5251 MiB', '5300 MiB', '143771 MiB']);
    assert.equal(rows[1]!.cells[1], 'no per-process data: the endpoint is not this machine');
    assert.ok(!rows[1]!.cells.some((c) => c.includes('5251')), 'never the card\'s numbers as the model\'s');
  });

  it('length classes and quality: bars per profile, tables with the report\'s values', () => {
    const r = report();
    const view = toView(r);
    const lengths = lengthChart(view);
    assert.deepEqual(lengths.labels, ['short', 'medium']);
    const short = r.profiles[0]!.lengthClasses!.find((c) => c.name === 'short')!;
    assert.equal(lengths.series[0]!.data[0], short.ttftMeanMs);
    const q = qualityChart(view);
    assert.deepEqual(q.labels, ['exact first line', 'edit similarity', 'parses after insertion']);
    assert.deepEqual(q.series[0]!.data, [r.profiles[0]!.exactMatchRate! * 100, 50, r.profiles[0]!.parsesAfterRate! * 100]);
    assert.deepEqual(qualityTable(view).rows[0]!.cells.slice(0, 4), ['fast', `${(r.profiles[0]!.exactMatchRate! * 100).toFixed(0)} %`, '0.50', `${(r.profiles[0]!.parsesAfterRate! * 100).toFixed(0)} %`]);
  });
});

describe('panel: a profile\'s run over time', () => {
  const sample = (ts: number, mem: number, util: number): GpuSample => ({ ts, gpus: [{ index: 0, name: 'H200', utilGpuPct: util, utilMemPct: null, memUsedMiB: mem, memTotalMiB: 143771, powerW: null, tempC: null, smClockMHz: null }, { index: 1, name: 'H200', utilGpuPct: 0, utilMemPct: null, memUsedMiB: 1, memTotalMiB: 143771, powerW: null, tempC: null, smClockMHz: null }], processes: [] });

  it('keeps the model GPU\'s samples inside the window, the server\'s own memory, and every request, in ms from the start', () => {
    const t = profileTimeline({
      t0: 10_000, t1: 12_000,
      cardSamples: [sample(9_000, 100, 0), sample(10_500, 5000, 40), sample(11_500, 5200, 80), sample(13_000, 1, 1)],
      snapshots: [{ ts: 11_000, apps: [{ pid: 7, gpuIndex: 0, gpuUuid: 'u0', memMiB: 3518 }, { pid: 8, gpuIndex: 0, gpuUuid: 'u0', memMiB: 1700 }] }],
      pids: [7], gpus: [0],
      requests: [{ startedAt: 10_100, status: 'ok', ttftMs: 50, e2eMs: 400, concurrency: 1 }, { startedAt: 10_200, status: 'failed', concurrency: 2 }],
    });
    assert.equal(t.durationMs, 2000);
    assert.deepEqual(t.points, [{ t: 500, cardVramMiB: 5000, utilPct: 40 }, { t: 1000, modelVramMiB: 3518 }, { t: 1500, cardVramMiB: 5200, utilPct: 80 }]);
    assert.deepEqual(t.requests, [{ start: 100, firstToken: 150, end: 500, concurrency: 1, ok: true }, { start: 200, concurrency: 2, ok: false }]);
    const chart = timelineChart(t);
    assert.deepEqual(chart.series.map((s) => s.label), ['card VRAM (MiB)', "model's own VRAM (MiB)", 'card utilisation (%)', 'requests in flight', 'first token']);
    assert.deepEqual(chart.series[4]!.data, [{ x: 0.15, y: 0 }]);
  });

  it('requests in flight: +1 at a start, -1 at an end, an end before a start at the same instant', () => {
    assert.deepEqual(inFlightSteps([{ start: 0, end: 1000, concurrency: 2, ok: true }, { start: 500, end: 1500, concurrency: 2, ok: true }, { start: 1000, end: 2000, concurrency: 2, ok: true }]), [
      { x: 0, y: 1 }, { x: 0.5, y: 2 }, { x: 1, y: 2 }, { x: 1.5, y: 1 }, { x: 2, y: 0 },
    ]);
  });

  it('thin keeps at most the bound and always the last item', () => {
    const out = thin(Array.from({ length: 1001 }, (_, i) => i), 100);
    assert.ok(out.length <= 100);
    assert.equal(out[0], 0);
    assert.equal(out[out.length - 1], 1000);
  });

  it('the timeline table carries the report\'s GPU numbers, "shared" where the card ran other processes', () => {
    const r = report();
    r.profiles[0]!.timeline = profileTimeline({ t0: 1_000_000, t1: 1_004_000, requests: r.profiles[0]!.results.map((c) => ({ ...c, ttftMs: c.timings?.ttftMs, e2eMs: c.timings?.e2eMs, concurrency: 1 })) });
    const row = timelineTable(toView(r)).rows[0]!;
    assert.deepEqual(row.cells, ['fast', '4.00 s', '6', '1', '0', '5300 MiB', '1730 MiB', 'shared with other processes']);
  });
});

describe('panel: chart data in the display language', () => {
  const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as l10n.l10nJsonFormat;
  afterEach(() => {
    l10n.config({ contents: {} });
    setDisplayLanguage(undefined);
  });

  it('reads in Chinese with the zh-cn bundle: headings, axis titles, series, ids in words; metric names as users write them', () => {
    l10n.config({ contents: zh });
    setDisplayLanguage('zh-cn');
    const view = toView(report());
    assert.deepEqual(ttftCdfTable(view).headers, ['模型配置', '请求数', 'TTFT p50', 'TTFT p90', 'TTFT p99', '最慢', '300 ms 以内']);
    assert.equal(throughputChart(view).x.title, '并发请求数');
    assert.deepEqual(vramChart(view).series.map((x) => x.label), ['空闲', '首个 token 时', '峰值']);
    assert.match(vramTable(view).rows[1]!.cells[1]!, /^无按进程数据：/);
    assert.deepEqual(lengthChart(view).labels, ['短', '中']);
    const live = liveTable([{ ts: 0, ttftMs: 42, outcome: 'accepted', profile: 'p' }, { ts: 1, outcome: 'partial', profile: 'p' }]);
    assert.deepEqual(live.rows.map((r) => r.cells[5]), ['部分接受', '已接受']);
  });

  it('writes numbers for the display language (German decimal comma), never grouping digits', () => {
    setDisplayLanguage('de');
    assert.equal(fmtMs(1250), '1,25 s');
    assert.equal(fmtMs(12_345_678), '12345,68 s');
    assert.match(throughputTable(toView(report())).rows[1]!.cells[3]!, /^\d+,\d\dx$/);
  });

  it('a language tag Intl cannot use falls back to English rather than breaking every number', () => {
    setDisplayLanguage('not a tag!');
    assert.equal(fmtMs(1250), '1.25 s');
  });
});

describe('compare: the doubling search for the highest concurrency within the SLO', () => {
  const level = (concurrency: number, ttfts: number[], failed = 0) => ({
    concurrency,
    results: [...ttfts.map((t, i) => caseResult(i, t)), ...Array.from({ length: failed }, (_, i) => caseResult(100 + i, 0, { status: 'failed' as const }))],
  });
  it('doubles while p90 meets the SLO, never past the bound, and stops at a failure', () => {
    assert.equal(nextSearchLevel(level(2, [100, 120, 150]), { max: 16 }, 300), 4);
    assert.equal(nextSearchLevel(level(8, [100, 120, 150]), { max: 16 }, 300), 16);
    assert.equal(nextSearchLevel(level(16, [100]), { max: 16 }, 300), undefined, 'bounded');
    assert.equal(nextSearchLevel(level(2, [100, 120, 900]), { max: 16 }, 300), undefined, 'p90 over the SLO');
    assert.equal(nextSearchLevel(level(2, [100, 120, 150], 1), { max: 16 }, 300), undefined, 'a failed request ends the search');
    assert.equal(nextSearchLevel(level(2, [100]), undefined, 300), undefined, 'no search asked');
  });
});
