import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGpuCsv } from '../../src/core/gpu/nvidiaSmi';
import type { CompletionRecord } from '../../src/core/store/record';
import { useDisplayLanguage } from '../../src/extension/locale';
import { renderStatus, servingGpuReading } from '../../src/extension/statusModel';
import { nvidiaFixtures as fixtures } from '../support/replay-nvidia-smi';


function record(over: Partial<CompletionRecord>): CompletionRecord {
  return { v: 1, kind: 'completion', id: 'x', ts: 0, profile: 'p', model: 'm', endpoint: 'e', template: 'qwen-fim', languageId: 'python', pathHash: 'h', outcome: 'shown', ...over };
}

describe('status bar text', () => {
  it('shows last TTFT, p50, decode speed and VRAM of the serving GPU (real H200 sample)', () => {
    const gpus = parseGpuCsv(fs.readFileSync(path.join(fixtures, 'h200-load.csv'), 'utf8')).map((r) => r.reading);
    const view = renderStatus({
      kind: 'serving',
      base: { profile: 'qwen', model: 'Qwen/Qwen2.5-Coder-1.5B', last: record({ timings: { ttftMs: 42.4, e2eMs: 300, decodeTokensPerSec: 181.2, outputTokens: 48 } }), p50: 55, p90: 90, count: 10, gpu: { ts: 0, gpus, processes: [] }, gpuState: { kind: 'running' }, server: { kind: 'ok' } },
    });
    assert.equal(view.text, '$(pulse) TTFT 42 ms · p50 55 ms · 181 tok/s · VRAM 4.6/140.4 GiB');
    assert.match(view.tooltip, /\| decode speed \| 181\.2 tok\/s \|/);
    assert.match(view.tooltip, /GPU 0 NVIDIA H200: util 95 %/);
    assert.equal(view.severity, 'normal');
  });

  it('shows the GPU the server runs on when it is known, the first GPU otherwise, and names the source', () => {
    const gpus = parseGpuCsv(fs.readFileSync(path.join(fixtures, 'h200-load.csv'), 'utf8')).map((r) => r.reading);
    const sample = { ts: 0, gpus: [...gpus, { ...gpus[0]!, index: 3, memUsedMiB: 70 * 1024 }], processes: [] };
    assert.equal(servingGpuReading(sample, 3)?.index, 3);
    assert.equal(servingGpuReading(sample, 7)?.index, 0, 'an index the sample lacks falls back to the first GPU');
    assert.equal(servingGpuReading(sample, undefined)?.index, 0);
    assert.equal(servingGpuReading(undefined, 3), undefined);
    const base = { profile: 'p', count: 0, gpu: sample, gpuState: { kind: 'running' as const, tool: 'nvidia-smi' as const }, server: { kind: 'ok' as const } };
    const local = renderStatus({ kind: 'serving', base: { ...base, servingGpuIndex: 3 } });
    assert.match(local.text, /VRAM 70\.0\/140\.4 GiB/);
    assert.match(local.tooltip, /GPU 3 NVIDIA H200/);
    assert.match(local.tooltip, /\(GPU via nvidia-smi\)/);
    const fleet = renderStatus({ kind: 'serving', base: { ...base, gpuSource: { kind: 'prometheus', url: 'http://prom_1:9090' } } });
    assert.match(fleet.text, /VRAM 4\.6\/140\.4 GiB/);
    assert.ok(fleet.tooltip.includes('(GPU via Prometheus at http\\://prom\\_1\\:9090)'), 'the URL is escaped like every settings text');
  });

  it('says the server is unreachable, with what to do', () => {
    const view = renderStatus({ kind: 'unreachable', endpoint: 'http://127.0.0.1:8000', message: 'connection refused' });
    assert.match(view.text, /server unreachable/);
    assert.match(view.tooltip, /command:completionLab\.startServers/);
    assert.equal(view.severity, 'error');
  });

  it('a template warning links to choosing another template for that profile; the link survives any profile name', () => {
    const name = 'my (odd) [name]! *x* it\'s';
    const view = renderStatus({ kind: 'degraded', message: 'template "auto" does not recognise…', base: { profile: name, count: 0, gpuState: { kind: 'no-gpu-tool' }, server: { kind: 'error', message: 'x', templateOf: name } } });
    assert.equal(view.severity, 'warning');
    const links = [...view.tooltip.matchAll(/\[([^\]]*)\]\((command:[^)\s]*)\)/g)];
    const fix = links.find((m) => m[1] === 'Choose another prompt template');
    assert.ok(fix, view.tooltip);
    const [command, query] = fix[2]!.slice('command:'.length).split('?');
    assert.equal(command, 'completionLab.selectModel');
    assert.deepEqual(JSON.parse(decodeURIComponent(query!)), { setTemplate: name });
    // A warning that another template does not answer (an instruct model) has no such link.
    const instruct = renderStatus({ kind: 'degraded', message: 'instruct', base: { profile: 'p', count: 0, gpuState: { kind: 'no-gpu-tool' }, server: { kind: 'error', message: 'instruct' } } });
    assert.doesNotMatch(instruct.tooltip, /Choose another prompt template/);
  });

  it('says when there is no GPU data and why', () => {
    const view = renderStatus({ kind: 'serving', base: { profile: 'p', count: 0, gpuState: { kind: 'no-gpu-tool' }, server: { kind: 'ok' } } });
    assert.doesNotMatch(view.text, /VRAM/);
    assert.match(view.tooltip, /no nvidia-smi, amd-smi or rocm-smi/);
  });
});

describe('status bar in the display language', () => {
  const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  afterEach(() => useDisplayLanguage('en', {}));

  it('reads in Chinese with the zh-cn bundle, with the clock in the Chinese format', () => {
    useDisplayLanguage('zh-cn', zh);
    const until = new Date(2026, 0, 1, 15, 5).getTime();
    const snoozed = renderStatus({ kind: 'off', until });
    assert.equal(snoozed.text, '$(clock) Completion Lab：已暂停至 15:05');
    assert.match(snoozed.tooltip, /\[立即恢复\]\(command:completionLab\.toggle\)/, 'the command link survives translation');
    const serving = renderStatus({ kind: 'serving', base: { profile: 'p', count: 3, last: record({ outcome: 'accepted', timings: { ttftMs: 42, decodeTokensPerSec: 181.2 } }), gpuState: { kind: 'no-gpu-tool' }, server: { kind: 'ok' } } });
    assert.match(serving.tooltip, /\| 解码速度 \| 181\.2 tok\/s \|/);
    assert.match(serving.tooltip, /\| 结果 \| 已接受 \|/);
    assert.match(serving.tooltip, /无数据（本机没有 nvidia-smi/);
  });

  it('formats numbers for the display language (German decimal comma)', () => {
    useDisplayLanguage('de', undefined);
    const view = renderStatus({ kind: 'serving', base: { profile: 'p', count: 1, last: record({ timings: { ttftMs: 1250, decodeTokensPerSec: 181.2 } }), gpuState: { kind: 'running' }, server: { kind: 'ok' } } });
    assert.match(view.text, /TTFT 1,25 s/);
    assert.match(view.tooltip, /\| decode speed \| 181,2 tok\/s \|/);
  });
});
