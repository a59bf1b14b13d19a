// The parsers on real H100 output this project captured on a lent GPU machine
// (test/fixtures/nvidia-smi-h100/README.md): a second card and driver beside the H200's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GPU_QUERY_FIELDS, parseComputeApps, parseGpuCsv } from '../../src/core/gpu/nvidiaSmi';

const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'nvidia-smi-h100');
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

describe('nvidia-smi on a real H100', () => {
  it('reads the idle card: 81559 MiB total, nothing used', () => {
    const [row] = parseGpuCsv(read('h100-idle.csv'));
    assert.equal(row!.reading.name, 'NVIDIA H100 80GB HBM3');
    assert.equal(row!.reading.memTotalMiB, 81559);
    assert.equal(row!.reading.memUsedMiB, 0);
    assert.equal(row!.reading.utilGpuPct, 0);
  });

  it('follows a load trace: utilisation climbs to 100 % and power to ~700 W', () => {
    const rows = parseGpuCsv(read('h100-load-trace.csv'));
    assert.ok(rows.length >= 20);
    const util = rows.map((r) => r.reading.utilGpuPct ?? -1);
    assert.equal(Math.max(...util), 100);
    assert.ok(Math.max(...rows.map((r) => r.reading.powerW ?? 0)) > 600);
  });

  it('reads timestamps of a -lms loop about 200 ms apart', () => {
    const rows = parseGpuCsv(read('h100-trace.csv'), ['timestamp', ...GPU_QUERY_FIELDS]);
    const gaps = rows.slice(1).map((r, i) => r.ts! - rows[i]!.ts!);
    assert.ok(gaps.every((g) => g > 150 && g < 300), `gaps ${gaps.join(',')}`);
  });

  it('reads the compute process and its VRAM', () => {
    assert.deepEqual(parseComputeApps(read('h100-apps-load.csv')), [{ pid: 409, name: 'python3', memMiB: 1002 }]);
  });
});
