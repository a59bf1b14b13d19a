import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  detectInvalidField,
  GPU_QUERY_FIELDS,
  NvidiaSmiFieldError,
  parseComputeApps,
  parseGpuCsv,
  parseGpuLine,
} from '../../src/core/gpu/nvidiaSmi';
import { parseAmdSmiMetric, parseRocmSmi } from '../../src/core/gpu/amdSmi';
import { nvidiaFixtures } from '../support/replay-nvidia-smi';

const fixture = (name: string) => fs.readFileSync(path.join(nvidiaFixtures, name), 'utf8');
const QUERY = fixture('QUERY.txt').trim().split(',');

describe('nvidia-smi parsers (real H200 output)', () => {
  it('queries the same fields as the captured fixtures', () => {
    assert.deepEqual([...GPU_QUERY_FIELDS], QUERY);
  });

  it('reads the idle line', () => {
    const [row] = parseGpuCsv(fixture('h200-idle.csv'));
    assert.deepEqual(row!.reading, {
      index: 0,
      name: 'NVIDIA H200',
      utilGpuPct: 0,
      utilMemPct: 0,
      memUsedMiB: 0,
      memTotalMiB: 143771,
      powerW: 125.8,
      tempC: 38,
      smClockMHz: 1980,
    });
    assert.equal(row!.uuid, 'GPU-c554ed31-6214-1981-47e9-8506f1b8dd12');
  });

  it('reads the line under load', () => {
    const [row] = parseGpuCsv(fixture('h200-load.csv'));
    assert.equal(row!.reading.utilGpuPct, 95);
    assert.equal(row!.reading.utilMemPct, 29);
    assert.equal(row!.reading.memUsedMiB, 4719);
    assert.equal(row!.reading.powerW, 498.68);
    assert.equal(row!.reading.tempC, 52);
    assert.equal(row!.reading.smClockMHz, 1950);
  });

  it('reads the human format: header line, units, clocks.current.sm', () => {
    const rows = parseGpuCsv(fixture('h200-idle-with-units.csv'));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.reading.memTotalMiB, 143771);
    assert.equal(rows[0]!.reading.powerW, 125.82);
    assert.equal(rows[0]!.reading.smClockMHz, 1980);
    assert.equal(rows[0]!.reading.utilGpuPct, 0);
  });

  it('reads the extended field list, [N/A] as null', () => {
    const header = fixture('h200-extended-with-units.csv').split('\n')[0]!;
    const fields = header.split(',').map((c) => c.trim().replace(/\s*\[.*\]$/, ''));
    const [row] = parseGpuCsv(fixture('h200-extended.csv'), fields);
    assert.equal(row!.raw['fan.speed'], '[N/A]');
    assert.equal(row!.reading.memTotalMiB, 143771);
    assert.equal(row!.reading.powerW, 126.28);
    assert.equal(row!.reading.smClockMHz, 1980);
    const [withUnits] = parseGpuCsv(fixture('h200-extended-with-units.csv'));
    assert.equal(withUnits!.reading.powerW, 126.29);
    assert.equal(withUnits!.reading.smClockMHz, 1980);
    // A utilisation nvidia-smi cannot give (e.g. under MIG) is null, not 0.
    const na = parseGpuLine('0, NVIDIA H200, [N/A], [Not Supported], 10, 20', ['index', 'name', 'utilization.gpu', 'utilization.memory', 'memory.used', 'memory.total']);
    assert.equal(na!.reading.utilGpuPct, null);
    assert.equal(na!.reading.utilMemPct, null);
    assert.equal(na!.reading.memUsedMiB, 10);
  });

  it('reads the -lms trace with its leading timestamp field', () => {
    const rows = parseGpuCsv(fixture('h200-trace-excerpt.csv'), ['timestamp', ...QUERY]);
    assert.equal(rows.length, 12);
    assert.equal(rows[1]!.reading.memUsedMiB, 4649);
    assert.equal(rows[1]!.ts! - rows[0]!.ts!, 106);
    assert.equal(new Date(rows[0]!.ts!).getMilliseconds(), 731);
  });

  it('reads compute apps under load, and empty output as no process', () => {
    assert.deepEqual(parseComputeApps(fixture('h200-apps-load.csv')), [{ pid: 397, name: 'python3', memMiB: 4710 }]);
    assert.deepEqual(parseComputeApps(fixture('h200-apps-idle.csv')), []);
  });

  it('recognises the rc-2 invalid-field answer and says what to do', () => {
    const text = fixture('invalid-field-rc2.txt');
    const err = detectInvalidField(text);
    assert.ok(err instanceof NvidiaSmiFieldError);
    assert.equal(err.field, 'bogus.field');
    assert.match(err.message, /--help-query-gpu/);
    assert.throws(() => parseGpuCsv(text), NvidiaSmiFieldError);
    assert.equal(detectInvalidField(fixture('h200-idle.csv')), null);
  });

  it('ignores the other nvidia-smi outputs instead of inventing GPUs', () => {
    assert.deepEqual(parseGpuCsv(fixture('h200-plain.txt')), []);
    assert.deepEqual(parseGpuCsv(fixture('h200-dmon.txt')), []);
  });
});

describe('AMD parsers (shapes from real amd-smi / rocm-smi output)', () => {
  // amd-smi 26.2.1 (ROCm 7.2), `amd-smi metric --json` on a Radeon AI PRO R9700, as captured
  // in a public diagnostics log found with code search: `gpu_data` wrapper, {value, unit}
  // objects, "N/A" strings inside lists. Trimmed to the keys we read plus one N/A list.
  const amdGpuData = JSON.stringify({
    gpu_data: [
      {
        gpu: 0,
        usage: { gfx_activity: { value: 100, unit: '%' }, umc_activity: { value: 0, unit: '%' }, mm_activity: { value: 0, unit: '%' }, vcn_activity: [{ value: 0, unit: '%' }, 'N/A', 'N/A', 'N/A'] },
        mem_usage: { total_vram: { value: 32624, unit: 'MB' }, used_vram: { value: 29777, unit: 'MB' } },
        power: { socket_power: { value: 103, unit: 'W' } },
        temperature: { edge: { value: 79, unit: 'C' }, hotspot: 'N/A' },
      },
    ],
  });
  // Older amd-smi: a top-level list (shape used by open-source monitors' tests, e.g. MI300X/RX 7900).
  const amdList = JSON.stringify([
    { gpu: 0, usage: { gfx_activity: { value: 37, unit: '%' } }, mem_usage: { total_vram: { value: 16368, unit: 'MB' }, used_vram: { value: 2048, unit: 'MB' } }, power: { socket_power: 'N/A' } },
    { gpu: 1, usage: { gfx_activity: 97 }, mem_usage: { total_vram: { value: 16368, unit: 'MB' }, used_vram: { value: 15000, unit: 'MB' } }, power: { socket_power: { value: 250, unit: 'W' } } },
  ]);
  // rocm-smi --json: every value a string, memory in bytes, non-card keys beside the cards.
  const rocm = JSON.stringify({
    card0: {
      'Temperature (Sensor edge) (C)': '35.0',
      'Average Graphics Package Power (W)': '19.0',
      'GPU use (%)': '3',
      'GPU Memory Allocated (VRAM%)': '85',
      'Card Series': 'N/A',
      'VRAM Total Memory (B)': '34208743424',
      'VRAM Total Used Memory (B)': '29225381888',
    },
    card1: { 'GPU use (%)': '0', 'VRAM Total Memory (B)': '4294967296', 'VRAM Total Used Memory (B)': '72495104' },
    system: { 'Driver version': '6.7.0' },
  });

  it('reads amd-smi gpu_data form with value/unit objects', () => {
    const [g] = parseAmdSmiMetric(amdGpuData);
    assert.equal(g!.index, 0);
    assert.equal(g!.utilGpuPct, 100);
    assert.equal(g!.utilMemPct, 0);
    assert.equal(g!.memUsedMiB, 29777);
    assert.equal(g!.memTotalMiB, 32624);
    assert.equal(g!.powerW, 103);
    assert.equal(g!.tempC, 79);
  });

  it('reads amd-smi list form, plain numbers and N/A', () => {
    const gpus = parseAmdSmiMetric(amdList);
    assert.equal(gpus.length, 2);
    assert.equal(gpus[0]!.powerW, null);
    assert.equal(gpus[1]!.utilGpuPct, 97);
    assert.equal(gpus[1]!.memUsedMiB, 15000);
  });

  it('reads rocm-smi string values, bytes to MiB, skipping "system"', () => {
    const gpus = parseRocmSmi(rocm);
    assert.equal(gpus.length, 2);
    assert.equal(gpus[0]!.utilGpuPct, 3);
    assert.equal(gpus[0]!.memTotalMiB, 32624);
    assert.equal(gpus[0]!.memUsedMiB, 27871.5);
    assert.equal(gpus[0]!.name, null);
    assert.equal(gpus[0]!.tempC, 35);
    assert.equal(gpus[1]!.memTotalMiB, 4096);
    assert.equal(gpus[1]!.powerW, null);
  });
});
