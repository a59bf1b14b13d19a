// Model comparison: quality scores, replay cases (workspace samples, recorded traffic), and
// the runner against two real embedded engines (build first: `node esbuild.js`).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { casesFromRecordDir, casesFromRecords, sampleWorkspaceCases, selectCases, type ReplayCase } from '../../src/core/compare/cases';
import { editSimilarity, scoreCompletion } from '../../src/core/compare/quality';
import { toJson, toMarkdown, type ComparisonReport } from '../../src/core/compare/report';
import { runComparison } from '../../src/core/compare/runner';
import { parseProfileSpec } from '../../src/cli/commands/compare';
import { CliUsageError } from '../../src/cli/usage';
import type { CompletionRecord } from '../../src/core/store/record';
import { RecordStore } from '../../src/core/store/recordStore';
import { GpuSampler } from '../../src/core/gpu/sampler';
import { repoRoot, scrapeMetric, startEngine, type StartedEngine } from '../support/engine';
import { installReplayNvidiaSmi } from '../support/replay-nvidia-smi';
import { unusedPort } from '../support/ports';

const sampleWorkspace = path.join(repoRoot, 'sample-workspace');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('compare: quality scores', () => {
  const base = { prefix: 'def add(a, b):\n', suffix: '\n', languageId: 'python' };

  it('exact match compares trimmed first lines', () => {
    const s = scoreCompletion({ ...base, completion: '    return a + b  \nprint(1)', groundTruth: '    return a + b' });
    assert.equal(s.exactMatch, true);
    assert.equal(s.editSimFirstLine, 1);
    assert.equal(scoreCompletion({ ...base, completion: '    return a - b', groundTruth: '    return a + b' }).exactMatch, false);
  });

  it('edit similarity is 1 - levenshtein / longer length, whole text cut to the truth length', () => {
    assert.equal(editSimilarity('return x', 'retur x'), 1 - 1 / 8);
    assert.equal(editSimilarity('', ''), 1);
    assert.equal(editSimilarity('abc', ''), 0);
    const s = scoreCompletion({ ...base, completion: '    return a + b\n    # and more text the truth does not cover', groundTruth: '    return a + b\n' });
    assert.equal(s.editSim, 1);
    const short = scoreCompletion({ ...base, completion: '    ret', groundTruth: '    return a + b' });
    assert.ok(short.editSim > 0 && short.editSim < 0.5, `got ${short.editSim}`);
  });

  it('nothing shown scores as a miss', () => {
    const s = scoreCompletion({ ...base, completion: undefined, groundTruth: '    return a + b' });
    assert.deepEqual({ exact: s.exactMatch, first: s.editSimFirstLine, whole: s.editSim }, { exact: false, first: 0, whole: 0 });
  });

  it('at a line end (the truth starts with a line break) the break and the first line with text must agree', () => {
    const eol = { prefix: 'def add(a, b):', suffix: '\n', languageId: 'python', groundTruth: '\n    return a + b\n' };
    const at = (completion: string | undefined) => scoreCompletion({ ...eol, completion });
    assert.deepEqual([at('\n    return a + b').exactMatch, at('\n    return a + b').editSimFirstLine], [true, 1]);
    assert.equal(at('\n\treturn a + b  ').exactMatch, true, 'indentation and trailing spaces do not count, as at line starts');
    // Glued onto the finished line, or a comment added to it, is not what was written next.
    assert.equal(at('    return a + b').exactMatch, false);
    assert.equal(at('  # pragma: no cover\n    return a + b').exactMatch, false);
    assert.ok(at('  # pragma: no cover\n    return a + b').editSimFirstLine < 0.3);
    assert.equal(at('\n\n    return a + b').exactMatch, false, 'an extra blank line');
    assert.ok(at('\n    return a - b').editSimFirstLine > 0.8);
    assert.deepEqual([at('\n').exactMatch, at('\n').editSimFirstLine, at(undefined).editSimFirstLine], [false, 0, 0], 'a bare line break shows nothing');
  });

  it('brackets balanced compares the completed document with the ground-truth document (strings and comments skipped)', () => {
    const ts = { prefix: 'function f(a) {\n  if (a) {\n', suffix: '\n}\n', languageId: 'typescript', groundTruth: '    g(a);\n  }' };
    assert.equal(scoreCompletion({ ...ts, completion: '    g(a);\n  }' }).bracketsBalanced, true);
    assert.equal(scoreCompletion({ ...ts, completion: '    g(a' }).bracketsBalanced, false);
    assert.equal(scoreCompletion({ ...ts, completion: "    log(')', \"]\"); // (\n  }" }).bracketsBalanced, true);
    assert.equal(scoreCompletion({ ...ts, completion: '    /* { */ g(a);\n  }' }).bracketsBalanced, true);
    assert.equal(scoreCompletion({ ...ts, completion: '    g(a));\n  }' }).bracketsBalanced, false, 'an extra closer');
    const py = { prefix: 'def f(x):\n', suffix: '\n', languageId: 'python', groundTruth: '    return g(x)' };
    assert.equal(scoreCompletion({ ...py, completion: '    """doc ( with a paren"""\n    return g(x)' }).bracketsBalanced, true);
    assert.equal(scoreCompletion({ ...py, completion: '    return g(x  # )' }).bracketsBalanced, false);
    assert.equal(scoreCompletion({ prefix: 'a', suffix: '', languageId: 'plaintext', groundTruth: 'b', completion: '(' }).bracketsBalanced, undefined);
  });

  it('JSON: the completed document must still parse', () => {
    const json = { prefix: '{"a": 1,\n', suffix: '\n}', languageId: 'json', groundTruth: '"b": 2' };
    assert.equal(scoreCompletion({ ...json, completion: '"b": 3' }).jsonParses, true);
    const bad = scoreCompletion({ ...json, completion: '"b": [3' });
    assert.equal(bad.jsonParses, false);
    assert.equal(bad.bracketsBalanced, false);
    // A truth document that does not parse (JSONC, a cut prefix) says nothing about parsing.
    assert.equal(scoreCompletion({ ...json, prefix: '{"a": 1, // c\n', completion: '"b": 3' }).jsonParses, undefined);
  });
});

describe('compare: workspace samples', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-compare-ws-'));
    const code = Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? '' : `const v${i} = ${i};`)).join('\n') + '\n';
    fs.writeFileSync(path.join(tmp, 'a.ts'), code);
    fs.mkdirSync(path.join(tmp, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'node_modules', 'dep', 'index.js'), code);
    fs.mkdirSync(path.join(tmp, 'dist'));
    fs.writeFileSync(path.join(tmp, 'dist', 'bundle.js'), code);
    fs.writeFileSync(path.join(tmp, 'big.js'), code.repeat(Math.ceil((210 * 1024) / code.length)));
    fs.writeFileSync(path.join(tmp, 'blob.js'), Buffer.concat([Buffer.from(code), Buffer.from([0, 1, 2, 0])]));
    fs.writeFileSync(path.join(tmp, 'short.py'), 'x = 1\ny = 2\n');
    fs.writeFileSync(path.join(tmp, 'notes.txt'), code);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is deterministic for a seed, and a different seed draws another sample', async () => {
    const a = await sampleWorkspaceCases(sampleWorkspace, { count: 6, seed: 7 });
    const b = await sampleWorkspaceCases(sampleWorkspace, { count: 6, seed: 7 });
    const c = await sampleWorkspaceCases(sampleWorkspace, { count: 6, seed: 8 });
    assert.equal(a.length, 6);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((x) => x.id), c.map((x) => x.id));
    assert.equal(new Set(a.map((x) => x.file)).size, 3, 'spread over the three source files');
  });

  it('puts the cursor at the start of a non-blank line after 5+ lines; the truth is the real next lines', async () => {
    const cases = await sampleWorkspaceCases(sampleWorkspace, { count: 20, seed: 3 });
    assert.equal(cases.length, 20);
    for (const c of cases) {
      const text = fs.readFileSync(path.join(sampleWorkspace, c.file!), 'utf8');
      const lines = text.split('\n');
      assert.equal(c.prefix + c.groundTruth + c.suffix, text, c.id);
      assert.ok(c.prefix.endsWith('\n'), `${c.id}: cursor at a line start`);
      assert.equal(c.prefix.split('\n').length, c.line, `${c.id}: line number`);
      assert.ok(c.line! >= 6, `${c.id}: at least 5 lines above`);
      const truthLines = c.groundTruth.split('\n');
      assert.equal(truthLines[0], lines[c.line! - 1]);
      assert.ok(truthLines[0]!.trim().length > 0, `${c.id}: a non-blank line`);
      assert.ok(truthLines.length <= 3);
      assert.equal(c.source, 'workspace');
      assert.equal(c.languageId, c.file!.endsWith('.py') ? 'python' : 'typescript');
    }
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'no spot twice');
  });

  it('line-end cursors (real standard-library code, and CRLF): the end of a line with text, the truth a line break and the next lines', async () => {
    const stdlib = path.join(repoRoot, 'test', 'fixtures', 'stdlib-heldout');
    const cases = await sampleWorkspaceCases(stdlib, { count: 60, seed: 4, cursor: 'line-end' });
    const starts = await sampleWorkspaceCases(stdlib, { count: 60, seed: 4 });
    assert.equal(cases.length, 60);
    const crlfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-eol-'));
    try {
      fs.writeFileSync(path.join(crlfDir, 'w.py'), fs.readFileSync(path.join(stdlib, fs.readdirSync(stdlib).find((f) => f.endsWith('.py'))!), 'utf8').replace(/\n/g, '\r\n'));
      const crlf = await sampleWorkspaceCases(crlfDir, { count: 10, seed: 1, cursor: 'line-end' });
      assert.equal(crlf.length, 10);
      for (const c of crlf) assert.ok(c.groundTruth.startsWith('\r\n') && !c.prefix.endsWith('\r'), `${c.id}: the cursor before the \\r\\n`);
      for (const c of [...cases, ...crlf]) {
        const dir = c.id.startsWith('w.py') ? crlfDir : stdlib;
        const text = fs.readFileSync(path.join(dir, c.file!), 'utf8');
        assert.equal(c.prefix + c.groundTruth + c.suffix, text, c.id);
        assert.ok(c.atLineEnd && c.id.endsWith(':end'), c.id);
        const above = c.prefix.slice(c.prefix.lastIndexOf('\n') + 1);
        assert.ok(above.trim().length > 0, `${c.id}: the line the cursor ends has text`);
        assert.equal(c.prefix.split('\n').length, c.line, `${c.id}: the cursor's line`);
        assert.match(c.groundTruth, /^\r?\n[^\n]*\S/, `${c.id}: a line break, then a line with text`);
      }
    } finally {
      fs.rmSync(crlfDir, { recursive: true, force: true });
    }
    assert.ok(starts.every((c) => !c.atLineEnd && c.prefix.endsWith('\n')), 'the default stays at line starts');
  });

  it('skips node_modules, dist, big, binary, short and non-source files', async () => {
    const cases = await sampleWorkspaceCases(tmp, { count: 50, seed: 1 });
    assert.ok(cases.length > 0);
    assert.deepEqual([...new Set(cases.map((c) => c.file))], ['a.ts']);
    // 12 lines, from line 6 on, blank every fourth (lines 8 and 12): 6, 7, 9, 10, 11.
    assert.deepEqual(cases.map((c) => c.line).sort((x, y) => x! - y!), [6, 7, 9, 10, 11]);
  });
});

describe('compare: cases from recorded traffic', () => {
  const rec = (id: string, ts: number, fields: Partial<CompletionRecord>): CompletionRecord => ({
    v: 1, kind: 'completion', id, ts, profile: 'p', model: 'm', endpoint: 'http://x', template: 'qwen-fim', languageId: 'python', pathHash: 'h', outcome: 'accepted', ...fields,
  });

  it('needs prompt text and kept text, dedupes the same prefix tail, newest first, limited', () => {
    const records = [
      rec('old', 1, { prefix: 'def f():\n    ret', suffix: '\n', keptText: 'return 1' }),
      rec('new', 3, { prefix: 'x = 0\ndef f():\n    ret', suffix: '\n', keptText: 'return 2' }),
      rec('other', 2, { prefix: 'import os\n', suffix: '', keptText: 'import sys' }),
      rec('nokept', 4, { prefix: 'a = ', suffix: '' }),
      rec('blank', 5, { prefix: 'b = ', suffix: '', keptText: '  ' }),
      rec('nosource', 6, { keptText: 'x' }),
      rec('third', 0, { prefix: 'class A:\n', keptText: '    pass' }),
    ];
    const all = casesFromRecords(records);
    assert.deepEqual(all.map((c) => c.id), ['new', 'other', 'old', 'third']);
    assert.deepEqual(all[0], { id: 'new', languageId: 'python', prefix: 'x = 0\ndef f():\n    ret', suffix: '\n', groundTruth: 'return 2', source: 'recorded' });
    assert.equal(all[3]!.suffix, '', 'absent suffix is empty');
    const longTail = 'y'.repeat(300);
    const dup = casesFromRecords([rec('a', 1, { prefix: 'A' + longTail, keptText: 'k1' }), rec('b', 2, { prefix: 'B' + longTail, keptText: 'k2' })]);
    assert.deepEqual(dup.map((c) => c.id), ['b'], 'same last 200 chars: one case, the newest');
    assert.deepEqual(casesFromRecords(records, { limit: 2 }).map((c) => c.id), ['new', 'other']);
  });

  it('reads a real record directory, with the kept text arriving as a later patch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-compare-rec-'));
    try {
      const store = new RecordStore({ dir });
      store.append(rec('r1', Date.now(), { prefix: 'def f():\n    ', suffix: '\n', outcome: 'shown' }));
      store.append(rec('r2', Date.now(), { prefix: 'def g():\n    ', suffix: '\n', outcome: 'shown' }));
      store.update('r1', { outcome: 'accepted', keptText: 'return 42' });
      await store.flush();
      const { cases, records } = await casesFromRecordDir(dir);
      assert.equal(records, 2);
      assert.deepEqual(cases.map((c) => [c.id, c.groundTruth]), [['r1', 'return 42']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compare: selectCases (what the VS Code command replays)', () => {
  it('prefers recorded traffic with kept text, tops it up with workspace samples, else samples the workspace folders', async () => {
    const kept: CompletionRecord = { v: 1, kind: 'completion', id: 'k', ts: 1, profile: 'p', model: 'm', endpoint: 'http://x', template: 't', languageId: 'python', pathHash: 'h', outcome: 'accepted', prefix: 'def f():\n', keptText: '    return 1' };
    const recorded = await selectCases({ records: [kept], workspaceDirs: [sampleWorkspace], count: 1 });
    assert.deepEqual([recorded.source, recorded.cases.map((c) => c.id)], ['recorded', ['k']]);
    const mixed = await selectCases({ records: [kept], workspaceDirs: [sampleWorkspace], count: 5 });
    assert.equal(mixed.source, 'mixed');
    assert.deepEqual(mixed.cases.map((c) => c.source), ['recorded', 'workspace', 'workspace', 'workspace', 'workspace']);
    assert.match(mixed.note, /1 recorded requests .* topped up with 4 spots sampled/);
    const onlyRecorded = await selectCases({ records: [kept], workspaceDirs: [], count: 5 });
    assert.deepEqual([onlyRecorded.source, onlyRecorded.cases.length], ['recorded', 1]);
    const sampled = await selectCases({ records: [{ ...kept, keptText: undefined } as CompletionRecord], workspaceDirs: [sampleWorkspace, path.join(sampleWorkspace, 'src')], count: 5, seed: 2 });
    assert.equal(sampled.source, 'workspace');
    assert.equal(sampled.cases.length, 5);
    assert.match(sampled.note, /no recorded request has kept text yet/);
    // Several folders: ids name the folder, and both folders get their share.
    assert.ok(sampled.cases.every((c) => c.id.startsWith('sample-workspace/') || c.id.startsWith('src/inventory.ts:')), sampled.cases.map((c) => c.id).join());
    assert.ok(sampled.cases.some((c) => c.id.startsWith('src/')) && sampled.cases.some((c) => c.id.startsWith('sample-workspace/')));
    assert.deepEqual((await selectCases({ workspaceDirs: [], count: 5 })).cases, []);
  });
});

describe('compare: CLI profile specs', () => {
  it('parses NAME=URL with options and rejects bad specs with one line', () => {
    assert.deepEqual(parseProfileSpec('fast=http://127.0.0.1:8000,model=m1,template=qwen-fim,maxTokens=8'), {
      name: 'fast', endpoint: 'http://127.0.0.1:8000', model: 'm1', template: 'qwen-fim', maxTokens: 8,
    });
    for (const [spec, pattern] of [
      ['http://x', /missing NAME=/],
      ['a=', /missing the URL/],
      ['a=ftp://x', /must start with http/],
      ['a=http://x,colour=red', /unknown key "colour"/],
      ['a=http://x,maxTokens=lots', /maxTokens must be a number/],
      ['a=http://x,maxTokens=0', /maxTokens 0 must be a whole number/],
    ] as const) {
      assert.throws(() => parseProfileSpec(spec), (e: unknown) => e instanceof CliUsageError && pattern.test(e.message) && !e.message.includes('\n'), spec);
    }
  });
});


/** Runs the compare command in its own process (as the CLI would), through a tiny loader. */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const mod = path.join(repoRoot, 'out', 'src', 'cli', 'commands', 'compare.js');
  const script = `require(${JSON.stringify(mod)}).run(process.argv.slice(1)).then((c) => { process.exitCode = c; }, (e) => { process.stderr.write('completion-lab: ' + e.message + '\\n'); process.exitCode = e.exitCode ?? 1; });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, '--', ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('compare: runner against two real embedded engines', function () {
  this.timeout(180_000);
  let fast: StartedEngine;
  let single: StartedEngine;
  let cases: ReplayCase[];
  before(async () => {
    [fast, single] = await Promise.all([startEngine(), startEngine({ args: ['--threads', '1'] })]);
    cases = await sampleWorkspaceCases(sampleWorkspace, { count: 6, seed: 1 });
  });
  after(async () => {
    await Promise.all([fast?.stop(), single?.stop()]);
  });

  it('replays every case against both profiles and reports timings, tokens, quality and server numbers', async () => {
    const events: Array<[number, number, string]> = [];
    const report = await runComparison({
      cases,
      profiles: [
        { name: 'fim', endpoint: fast.url, template: 'qwen-fim', maxTokens: 8 },
        { name: 'prefix-1thread', endpoint: single.url, template: 'prefix-only', maxTokens: 8 },
      ],
      seed: 1,
      onProgress: (done, total, cur) => events.push([done, total, cur.profile]),
    });
    assert.equal(report.cancelled, false);
    assert.equal(report.cases, 6);
    assert.equal(report.source, 'workspace');
    assert.equal(report.ttftSloMs, 300);
    assert.deepEqual(report.profiles.map((p) => [p.name, p.status, p.count, p.failures]), [['fim', 'ok', 6, 0], ['prefix-1thread', 'ok', 6, 0]]);
    assert.deepEqual(events.map((e) => e[0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.ok(events.every((e) => e[1] === 12));
    assert.deepEqual(report.profiles.map((p) => [p.template, p.maxTokens, p.model]), [['qwen-fim', 8, fast.model], ['prefix-only', 8, single.model]]);
    for (const p of report.profiles) {
      assert.ok(p.ttftMs.p50! > 0, `${p.name}: TTFT p50`);
      assert.ok(p.e2eMs.p50! >= p.ttftMs.p50!, `${p.name}: E2E >= TTFT`);
      assert.equal(p.ttftMs.count, 6);
      assert.ok(p.results.every((r) => r.timings?.outputTokens === 8), `${p.name}: every request ran to maxTokens`);
      assert.equal(p.outputTokens, 48);
      assert.ok(p.throughputTokensPerSec! > 0);
      assert.ok(p.exactMatchRate! >= 0 && p.exactMatchRate! <= 1);
      assert.ok(p.meanEditSim! >= 0 && p.meanEditSim! <= 1);
      assert.ok(p.goodput! >= 0 && p.goodput! <= 1);
      assert.ok(p.parsesAfterRate !== undefined && p.parsedBeforeRate !== undefined, 'python and typescript cases are parsed by tree-sitter (the files parse with their real next lines)');
      assert.equal(p.bracketsBalancedRate, undefined, 'no heuristic where a grammar exists');
      assert.deepEqual(p.results.map((r) => r.caseId), cases.map((c) => c.id));
      assert.ok(p.results.every((r) => r.groundTruth.length > 0 && r.quality !== undefined));
      // The engine's own /metrics saw exactly this profile's 6 requests and 48 tokens.
      assert.equal(p.server?.kind, 'completion-lab');
      assert.equal(p.server?.window.requests, 6);
      assert.equal(p.server?.window.generationTokens, 48);
      assert.equal(p.gpu, undefined, 'no sampler given: no GPU numbers');
    }
    const md = toMarkdown(report);
    assert.match(md, /\| fim \|/);
    assert.match(md, /\| prefix-1thread \|/);
    assert.match(md, /Winner, TTFT p50 \(lowest\): (fim|prefix-1thread|tie: fim, prefix-1thread)\n/);
    assert.match(md, /## Server side/);
    const back = JSON.parse(toJson(report)) as ComparisonReport;
    assert.equal(back.profiles[1]!.results[5]!.timings?.outputTokens, 8);
  });

  it('warm-up requests reach the server but stay out of the counted window', async () => {
    const before = await scrapeMetric(fast.url, 'completion_lab:requests_total');
    const report = await runComparison({
      cases: cases.slice(0, 3),
      profiles: [{ name: 'warm', endpoint: fast.url, template: 'qwen-fim', maxTokens: 8 }],
      warmupRequests: 2,
    });
    const [p] = report.profiles;
    assert.equal(p!.count, 3, 'only the measured cases are counted');
    assert.equal(p!.server?.window.requests, 3, 'the /metrics window opens after the warm-up');
    assert.equal((await scrapeMetric(fast.url, 'completion_lab:requests_total')) - before, 5, 'the engine saw 2 warm-up + 3 measured requests');
    assert.equal(report.warmupRequests, 2);
    assert.match(toMarkdown(report), /2 uncounted warm-up requests per profile/);
  });

  it('reports a profile on a closed port as failed while the other completes', async () => {
    const port = await unusedPort();
    const report = await runComparison({
      cases,
      profiles: [
        { name: 'gone', endpoint: `http://127.0.0.1:${port}`, template: 'auto', maxTokens: 8 },
        { name: 'live', endpoint: fast.url, template: 'auto', maxTokens: 8 },
      ],
      concurrency: 2,
    });
    const [gone, live] = report.profiles;
    assert.equal(gone!.status, 'failed');
    assert.match(gone!.error!, /connection refused/i);
    assert.equal(gone!.count, 0);
    assert.equal(live!.status, 'ok');
    assert.equal(live!.count, 6);
    assert.equal(live!.failures, 0);
    assert.match(toMarkdown(report), /\| gone \|.*failed: .*refused/i);
  });

  it('cancels: in-flight request aborted on the engine, finished results kept, report marked cancelled', async () => {
    const ac = new AbortController();
    const abortedBefore = await scrapeMetric(fast.url, 'completion_lab:requests_aborted_total');
    const report = await runComparison({
      cases,
      // 256 tokens take over a second here: the third request is surely generating when we cancel.
      profiles: [
        { name: 'long', endpoint: fast.url, template: 'qwen-fim', maxTokens: 256 },
        { name: 'never', endpoint: single.url, template: 'qwen-fim', maxTokens: 8 },
      ],
      signal: ac.signal,
      onProgress: (done) => {
        if (done === 2) setTimeout(() => ac.abort(), 300);
      },
    });
    assert.equal(report.cancelled, true);
    const [long, never] = report.profiles;
    assert.equal(long!.status, 'cancelled');
    assert.equal(long!.count, 2, 'the two finished requests are kept');
    assert.equal(long!.cancelledRequests, 1);
    assert.deepEqual(long!.results.map((r) => r.status), ['ok', 'ok', 'cancelled']);
    assert.ok(long!.results.slice(0, 2).every((r) => r.timings?.outputTokens === 256));
    assert.deepEqual([never!.status, never!.results.length], ['cancelled', 0]);
    assert.match(toMarkdown(report), /\*\*Cancelled\*\*/);
    await sleep(300);
    assert.equal(await scrapeMetric(fast.url, 'vllm:num_requests_running'), 0, 'nothing left generating');
    assert.equal((await scrapeMetric(fast.url, 'completion_lab:requests_aborted_total')) - abortedBefore, 1, 'the engine saw the abort');
  });

  it('joins the GPU sampler (the stand-in nvidia-smi replaying real H200 output) to each profile\'s window, and releases it', async () => {
    const replay = installReplayNvidiaSmi();
    const sampler = new GpuSampler({ env: replay.env, intervalMs: 200 });
    try {
      const report = await runComparison({
        cases,
        // Long enough (about 1-2 s per profile) for several 200 ms samples in each window.
        profiles: [
          { name: 'a', endpoint: fast.url, template: 'qwen-fim', maxTokens: 48 },
          { name: 'b', endpoint: single.url, template: 'qwen-fim', maxTokens: 48 },
        ],
        gpuSampler: sampler,
      });
      for (const p of report.profiles) {
        assert.ok(p.gpu && p.gpu.samples >= 2, `${p.name}: samples in its window (${p.gpu?.samples})`);
        assert.ok(p.gpu.vramPeakMiB! > 0 && p.gpu.vramIdleMiB! > 0, `${p.name}: VRAM numbers`);
        assert.ok(p.gpu.utilMeanPct !== undefined && p.gpu.utilStdPct !== undefined);
        assert.ok(p.windowStart! < p.windowEnd!);
      }
      assert.ok(report.profiles[0]!.windowEnd! <= report.profiles[1]!.windowStart!, 'windows do not overlap');
      assert.equal(sampler.holderCount, 0, 'released when the comparison ended');
      assert.match(toMarkdown(report), /## GPU[^\n]*\n\n\| metric \| a \| b \|\n[^\n]*\n\| Card VRAM idle \| \d+ MiB \| \d+ MiB \|/);
    } finally {
      sampler.dispose();
      await sampler.whenChildExited();
      replay.cleanup();
    }
  });

  it('CLI: starts each profile\'s server itself, one after another (--engine), and reports load time, first completion and cold TTFT', async () => {
    const [pa, pb] = [await unusedPort(), await unusedPort()];
    const res = await runCli(['--profile', `a=http://127.0.0.1:${pa},maxTokens=4`, '--profile', `b=http://127.0.0.1:${pb},maxTokens=4`, '--engine', 'a=tiny', '--engine', 'b=tiny', '--workspace', 'sample-workspace', '--count', '2', '--json']);
    assert.equal(res.code, 0, res.stderr);
    const report = JSON.parse(res.stdout) as ComparisonReport;
    for (const p of report.profiles) {
      assert.equal(p.count, 2, p.name);
      assert.match(p.load!.how, /embedded engine \(tiny test model\)/);
      assert.ok(p.load!.readyMs > 0 && p.load!.firstCompletionMs! > p.load!.readyMs, `${p.name}: ${JSON.stringify(p.load)}`);
      assert.ok(p.coldTtftMs! > 0, `${p.name}: cold TTFT of the warm-up request`);
    }
    assert.match(res.stderr, /starting embedded engine[^\n]*\ncompare: ready after [\d.]+ s\n(compare: \d\/4 a[^\n]*\n)+compare: starting embedded engine/, 'b starts after a ran');
    // Both servers were stopped after their runs.
    for (const port of [pa, pb]) await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), `port ${port} closed`);
    const bad = await runCli(['--profile', `a=http://127.0.0.1:${pa}`, '--profile', `b=http://127.0.0.1:${pb}`, '--engine', 'c=tiny']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--engine "c=tiny": expected NAME=MODEL with NAME one of the --profile names \(a, b\)/);
  });

  it('CLI: markdown on stdout and progress on stderr; exit 1 when every profile failed; exit 2 with no cases', async () => {
    const ok = await runCli(['--profile', `a=${fast.url},maxTokens=4`, '--profile', `b=${single.url},maxTokens=4,template=prefix-only`, '--workspace', 'sample-workspace', '--count', '3', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(ok.stdout) as ComparisonReport;
    assert.deepEqual(report.profiles.map((p) => [p.name, p.count, p.outputTokens]), [['a', 3, 12], ['b', 3, 12]]);
    assert.match(ok.stderr, /compare: 6\/6 b /);

    const port = await unusedPort();
    const dead = await runCli(['--profile', `a=http://127.0.0.1:${port}`, '--profile', `b=http://127.0.0.1:${port}/v1`, '--workspace', 'sample-workspace', '--count', '2']);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr, /profile "a" failed: .*refused/i);
    assert.match(dead.stdout, /# Model comparison/);

    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-compare-empty-'));
    try {
      const none = await runCli(['--profile', `a=${fast.url}`, '--profile', `b=${single.url}`, '--workspace', empty]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^completion-lab: no cases found: .*\n$/);
      const rec = await runCli(['--profile', `a=${fast.url}`, '--profile', `b=${single.url}`, '--records', empty]);
      assert.equal(rec.code, 2);
      assert.match(rec.stderr, /no cases found: .* has 0 records/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const badLevels = await runCli(['--profile', `a=${fast.url}`, '--profile', `b=${single.url}`, '--concurrency', '1,x']);
    assert.equal(badLevels.code, 2);
    assert.match(badLevels.stderr, /--concurrency must be whole numbers of at least 1, separated by commas/);
    const lowSearch = await runCli(['--profile', `a=${fast.url}`, '--profile', `b=${single.url}`, '--concurrency', '1,4', '--concurrency-search', '4']);
    assert.equal(lowSearch.code, 2);
    assert.match(lowSearch.stderr, /--concurrency-search 4 must be above the last --concurrency level \(4\)/);
    const eol = await runCli(['--profile', `a=${fast.url},maxTokens=4`, '--profile', `b=${single.url},maxTokens=4`, '--workspace', 'sample-workspace', '--cursor', 'line-end', '--count', '2', '--json']);
    assert.equal(eol.code, 0, eol.stderr);
    const eolReport = JSON.parse(eol.stdout) as ComparisonReport;
    assert.equal(eolReport.lineEndCases, 2);
    assert.ok(eolReport.profiles.every((p) => p.results.every((r) => r.caseId.endsWith(':end'))));
    assert.match(toMarkdown(eolReport), /2 cases \(sampled from the workspace at line ends/);
    const badCursor = await runCli(['--profile', `a=${fast.url}`, '--profile', `b=${single.url}`, '--cursor', 'middle']);
    assert.equal(badCursor.code, 2);
    assert.match(badCursor.stderr, /--cursor must be line-start or line-end, got "middle"/);
    const one = await runCli(['--profile', `a=${fast.url}`]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /at least 2 --profile/);
  });
});
