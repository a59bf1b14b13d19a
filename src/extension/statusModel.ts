// The status bar as a small state union and one render function (rust-analyzer's ctx.ts
// pattern). Pure: no vscode import, so the text the user reads is unit-tested.
import type { CompletionRecord } from '../core/store/record';
import type { GpuReading, GpuSample, SamplerState } from '../core/gpu/types';
import { escapeMarkdown as esc } from '../core/trust/markdown';
import type { ReplicasView } from '../protocol';
import { replicaTable, TOTALS_NOTE } from '../replicaTable';
import type { GpuSource, ServerView } from './liveStats';

/** The only commands the tooltip's markdown may run (its isTrusted.enabledCommands). */
export const TOOLTIP_COMMANDS: readonly string[] = ['completionLab.showPanel', 'completionLab.selectModel', 'completionLab.showLog', 'completionLab.startServers', 'completionLab.toggle'];

export type StatusState =
  /** until: epoch ms a snooze ends (off by snooze rather than by the setting). */
  | { kind: 'off'; until?: number }
  | { kind: 'no-profile'; message: string }
  | { kind: 'unreachable'; endpoint: string; message: string }
  | { kind: 'degraded'; message: string; base: ServingFacts }
  | { kind: 'serving'; base: ServingFacts };

export interface ServingFacts {
  profile: string;
  model?: string | undefined;
  last?: CompletionRecord | undefined;
  p50?: number | undefined;
  p90?: number | undefined;
  /** p50 of keystroke → ghost text. */
  shownP50?: number | undefined;
  count: number;
  gpu?: GpuSample | undefined;
  gpuState: SamplerState;
  /** Where the GPU numbers come from (this machine's tool or a Prometheus); unset: this machine. */
  gpuSource?: GpuSource | undefined;
  /** The replicas and GPUs read through Prometheus, when it is the source. */
  fleet?: ReplicasView | undefined;
  /** The GPU the server's processes are on, when found (else the first is shown). */
  servingGpuIndex?: number | undefined;
  server: ServerView;
}

export interface StatusView {
  text: string;
  /** Markdown: text from servers and settings is escaped; only TOOLTIP_COMMANDS run from it. */
  tooltip: string;
  severity: 'normal' | 'warning' | 'error';
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const num = (v: number | undefined | null, digits = 0): string => (v === undefined || v === null ? '–' : v.toFixed(digits));
const gib = (mib: number | null | undefined): string => (mib === null || mib === undefined ? '–' : (mib / 1024).toFixed(1));

/** The GPU that serves: the one holding the server's process if known, else the first. */
export function servingGpuReading(sample: GpuSample | undefined, index: number | undefined): GpuReading | undefined {
  return (index === undefined ? undefined : sample?.gpus.find((g) => g.index === index)) ?? sample?.gpus[0];
}

function gpuSourceText(source: GpuSource | undefined, state: SamplerState): string {
  if (source?.kind === 'prometheus') return `GPU via Prometheus at ${esc(source.url)}`;
  return `GPU via ${state.tool ?? 'this machine\'s GPU tool'}`;
}

export function renderStatus(state: StatusState): StatusView {
  switch (state.kind) {
    case 'off':
      if (state.until !== undefined) {
        const at = new Date(state.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        return { text: `$(clock) Completion Lab: snoozed until ${at}`, tooltip: `Inline completions are snoozed until ${at}.\n\n[Resume now](command:completionLab.toggle)`, severity: 'normal' };
      }
      return { text: '$(circle-slash) Completion Lab: off', tooltip: 'Inline completions are off (`completionLab.enabled`).\n\n[Turn on](command:completionLab.toggle)', severity: 'normal' };
    case 'no-profile':
      return { text: '$(warning) Completion Lab: no model', tooltip: `${esc(state.message)}\n\n[Select model](command:completionLab.selectModel) · [Open log](command:completionLab.showLog)`, severity: 'warning' };
    case 'unreachable':
      return {
        text: '$(debug-disconnect) Completion Lab: server unreachable',
        tooltip: `**Server unreachable**: ${esc(state.endpoint)}\n\n${esc(state.message)}\n\n[Start model servers](command:completionLab.startServers) · [Select model](command:completionLab.selectModel) · [Open log](command:completionLab.showLog)`,
        severity: 'error',
      };
    case 'degraded':
    case 'serving': {
      const f = state.base;
      const last = f.last;
      // Through Prometheus the GPUs are the fleet's: its totals, never one card of it.
      const fleet = f.gpuSource?.kind === 'prometheus' ? f.fleet : undefined;
      const gpu = fleet ? undefined : servingGpuReading(f.gpu, f.servingGpuIndex);
      const parts = [`$(pulse) TTFT ${ms(last?.timings?.ttftMs)}`, `p50 ${ms(f.p50)}`];
      if (last?.timings?.decodeTokensPerSec !== undefined) parts.push(`${num(last.timings?.decodeTokensPerSec)} tok/s`);
      const vram = fleet ? { used: fleet.total.memUsedMiB, total: fleet.total.memTotalMiB } : { used: gpu?.memUsedMiB, total: gpu?.memTotalMiB };
      if (vram.used !== undefined && vram.used !== null && vram.total !== undefined && vram.total !== null) parts.push(`VRAM ${gib(vram.used)}/${gib(vram.total)} GiB`);
      const lines: string[] = [];
      if (state.kind === 'degraded') lines.push(`$(warning) ${esc(state.message)}`, '');
      lines.push(`**Completion Lab**: profile *${esc(f.profile)}*${f.model ? `, model ${esc(f.model)}` : ''}`, '');
      if (last) {
        lines.push(
          '| last completion | |', '| --- | --- |',
          `| TTFT | ${ms(last.timings?.ttftMs)} |`,
          `| end to end | ${ms(last.timings?.e2eMs)} |`,
          `| time per output token | ${ms(last.timings?.tpotMs)} |`,
          `| decode speed | ${num(last.timings?.decodeTokensPerSec, 1)} tok/s |`,
          `| tokens in / out | ${num(last.promptTokens)} / ${num(last.timings?.outputTokens)} |`,
          `| keystroke → request | ${ms(last.keystrokeToRequestMs)} (wait ${ms(last.debounceMs)}) |`,
          `| keystroke → ghost text | ${ms(last.keystrokeToShownMs)} |`,
          `| outcome | ${esc(last.outcome)} |`, '',
        );
      } else {
        lines.push('No completion yet.', '');
      }
      lines.push(`TTFT over the last ${f.count}: p50 ${ms(f.p50)}, p90 ${ms(f.p90)} (client)`);
      if (f.shownP50 !== undefined) lines.push('', `Keystroke → ghost text: p50 ${ms(f.shownP50)}`);
      const m = f.server.metrics;
      if (m) {
        lines.push('', `Server (/metrics): TTFT mean ${ms(m.ttftMeanMs)}, ${num(m.genTokensPerSec, 1)} tok/s generated, KV cache ${num(m.kvCacheUsagePct, 1)} %, running ${num(m.running)}, waiting ${num(m.waiting)}`);
      }
      if (fleet) {
        lines.push('', ...fleetLines(fleet));
      } else if (gpu) {
        lines.push('', `GPU ${gpu.index} ${esc(gpu.name ?? '')}: util ${num(gpu.utilGpuPct)} %, VRAM ${gib(gpu.memUsedMiB)}/${gib(gpu.memTotalMiB)} GiB, ${num(gpu.powerW)} W, ${num(gpu.tempC)} °C`);
      } else {
        lines.push('', `GPU: ${gpuStateText(f.gpuState)}`);
      }
      lines.push(`(${gpuSourceText(f.gpuSource, f.gpuState)})`);
      lines.push('', '[Show profiling panel](command:completionLab.showPanel) · [Select model](command:completionLab.selectModel) · [Open log](command:completionLab.showLog)');
      return { text: parts.join(' · '), tooltip: lines.join('\n'), severity: state.kind === 'degraded' ? 'warning' : 'normal' };
    }
  }
}

/** The replicas and GPUs Prometheus holds, or the state that says why they are missing. */
function fleetLines(fleet: ReplicasView): string[] {
  const lines = [`**Replicas and GPUs** through Prometheus (replicas ${esc(fleet.selector)}, GPUs ${esc(fleet.gpuSelector)}):`, ''];
  for (const p of fleet.problems) lines.push(`$(warning) ${esc(p)}`, '');
  if (fleet.state === 'stopped') lines.push('Prometheus is read while this window has focus or the panel is open.', '');
  else if (fleet.ts === undefined && !fleet.problems.length) lines.push('Reading Prometheus…', '');
  if (fleet.ts === undefined || (!fleet.replicas.length && !fleet.total.gpus)) return lines;
  const table = replicaTable(fleet);
  const row = (cells: string[]) => `| ${cells.map(esc).join(' | ')} |`;
  lines.push(row(table.headers), `|${table.headers.map(() => ' --- |').join('')}`, ...table.rows.map(row), '', esc(TOTALS_NOTE));
  return lines;
}

function gpuStateText(s: SamplerState): string {
  switch (s.kind) {
    case 'no-gpu-tool':
      return 'no data (no nvidia-smi, amd-smi or rocm-smi on this machine)';
    case 'restarting':
    case 'failed':
      return `no data (${esc(s.message ?? s.kind)})`;
    default:
      return 'no data yet';
  }
}
