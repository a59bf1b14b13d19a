import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGpuCsv } from '../../src/core/gpu/nvidiaSmi';
import type { CompletionRecord } from '../../src/core/store/record';
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

  it('says when there is no GPU data and why', () => {
    const view = renderStatus({ kind: 'serving', base: { profile: 'p', count: 0, gpuState: { kind: 'no-gpu-tool' }, server: { kind: 'ok' } } });
    assert.doesNotMatch(view.text, /VRAM/);
    assert.match(view.tooltip, /no nvidia-smi, amd-smi or rocm-smi/);
  });
});
