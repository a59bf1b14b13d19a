// Pure parsers for AMD's tools, which have no loop mode (the sampler spawns them per sample).
//
// `amd-smi metric -u -m -p -t --json`: a top-level list of GPUs, or `{"gpu_data": [...]}` in
// newer releases (amd-smi 26.x, ROCm 7); values are `{"value": 37, "unit": "%"}` objects,
// plain numbers in some releases, or the string "N/A". Shapes checked against public amd-smi
// captures found with code search (an amd-smi 26.2.1 / ROCm 7.2 capture on a Radeon AI PRO
// R9700 for `gpu_data`; list-form outputs used by several open-source GPU monitors) and
// against ROCm/amdsmi's docs (usage.gfx_activity / umc_activity, mem_usage.total_vram /
// used_vram in MB, power.socket_power in W, temperature.edge / hotspot in C).
//
// `rocm-smi --showuse --showmeminfo vram --json`: `{"card0": {"GPU use (%)": "12",
// "VRAM Total Memory (B)": "17163091968", "VRAM Total Used Memory (B)": "1073741824", ...},
// "system": {...}}`, every value a string, memory in bytes.
import type { GpuReading } from './types';

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MIB = 1024 * 1024;

/** A number from 37, "37", "37 %", {"value": 37, "unit": "%"}; null for "N/A" and the like. */
export function amdValue(v: Json): { value: number; unit?: string } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : null;
  if (typeof v === 'string') {
    const m = /^(-?\d+(?:\.\d+)?)\s*([A-Za-z%°]*)$/.exec(v.trim());
    if (!m) return null;
    return m[2] ? { value: Number(m[1]), unit: m[2] } : { value: Number(m[1]) };
  }
  if (isObject(v) && 'value' in v) {
    const inner = amdValue(v['value']);
    if (!inner) return null;
    return typeof v['unit'] === 'string' ? { value: inner.value, unit: v['unit'] } : inner;
  }
  return null;
}

/** Memory in MiB, honouring the unit amd-smi states (MB means MiB there; B, KB, GB too). */
function toMiB(v: Json, defaultUnit = 'MB'): number | null {
  const n = amdValue(v);
  if (!n) return null;
  const unit = (n.unit ?? defaultUnit).toUpperCase();
  const factor: Record<string, number> = { B: 1 / MIB, KB: 1 / 1024, KIB: 1 / 1024, MB: 1, MIB: 1, GB: 1024, GIB: 1024 };
  return Math.round(n.value * (factor[unit] ?? 1) * 100) / 100;
}

function pick(obj: Json, ...path: string[]): Json {
  let cur: Json = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function firstNumber(obj: Json, paths: string[][]): number | null {
  for (const p of paths) {
    const n = amdValue(pick(obj, ...p));
    if (n) return n.value;
  }
  return null;
}

/** The GPUs in an `amd-smi metric --json` answer (list form or `{gpu_data: [...]}`). */
export function parseAmdSmiMetric(text: string): GpuReading[] {
  const data = JSON.parse(text) as Json;
  const list: Json[] = Array.isArray(data) ? data : isObject(data) && Array.isArray(data['gpu_data']) ? data['gpu_data'] : [];
  const out: GpuReading[] = [];
  list.forEach((gpu, i) => {
    if (!isObject(gpu)) return;
    const idx = amdValue(gpu['gpu']);
    const name = pick(gpu, 'asic', 'market_name');
    out.push({
      index: idx ? idx.value : i,
      name: typeof name === 'string' && name !== 'N/A' ? name : null,
      utilGpuPct: firstNumber(gpu, [['usage', 'gfx_activity'], ['usage', 'gfx_usage']]),
      utilMemPct: firstNumber(gpu, [['usage', 'umc_activity'], ['usage', 'mem_usage']]),
      memUsedMiB: toMiB(pick(gpu, 'mem_usage', 'used_vram')),
      memTotalMiB: toMiB(pick(gpu, 'mem_usage', 'total_vram')),
      powerW: firstNumber(gpu, [['power', 'socket_power'], ['power', 'average_socket_power'], ['power', 'current_socket_power']]),
      tempC: firstNumber(gpu, [['temperature', 'edge'], ['temperature', 'hotspot']]),
      smClockMHz: firstNumber(gpu, [['clock', 'gfx_0', 'clk'], ['clock', 'GFX_0', 'clk']]),
    });
  });
  return out;
}

/** The cards in a `rocm-smi --showuse --showmeminfo vram --json` answer ("system" and other keys skipped). */
export function parseRocmSmi(text: string): GpuReading[] {
  const data = JSON.parse(text) as Json;
  if (!isObject(data)) return [];
  const out: GpuReading[] = [];
  for (const [key, card] of Object.entries(data)) {
    const m = /^card(\d+)$/.exec(key);
    if (!m || !isObject(card)) continue;
    const num = (k: string) => amdValue(card[k])?.value ?? null;
    const bytesToMiB = (k: string) => {
      const b = num(k);
      return b === null ? null : Math.round((b / MIB) * 100) / 100;
    };
    const series = card['Card Series'] ?? card['Card series'] ?? card['Device Name'];
    out.push({
      index: Number(m[1]),
      name: typeof series === 'string' && series !== 'N/A' ? series : null,
      utilGpuPct: num('GPU use (%)'),
      utilMemPct: num('GPU Memory Allocated (VRAM%)'),
      memUsedMiB: bytesToMiB('VRAM Total Used Memory (B)'),
      memTotalMiB: bytesToMiB('VRAM Total Memory (B)'),
      powerW: num('Average Graphics Package Power (W)') ?? num('Current Socket Graphics Package Power (W)'),
      tempC: num('Temperature (Sensor edge) (C)') ?? num('Temperature (Sensor junction) (C)'),
      smClockMHz: null,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

export const AMD_SMI_ARGS = ['metric', '-u', '-m', '-p', '-t', '--json'];
export const ROCM_SMI_ARGS = ['--showuse', '--showmeminfo', 'vram', '--json'];
