// The status bar as a small state union and one render function (rust-analyzer's ctx.ts
// pattern). Pure: no vscode import, so the text the user reads is unit-tested.
import * as l10n from '@vscode/l10n';
import type { CompletionRecord, Outcome } from '../core/store/record';
import type { GpuReading, GpuSample, SamplerState } from '../core/gpu/types';
import { escapeMarkdown as esc } from '../core/trust/markdown';
import type { ReplicasView } from '../protocol';
import { replicaTable, totalsNote } from '../replicaTable';
import type { GpuSource, ServerView } from './liveStats';
import { formatNumber, formatTime } from './locale';

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
  /** A fact the user should not miss that is no longer a problem (records this window dropped). */
  note?: string | undefined;
}

export interface StatusView {
  text: string;
  /** Markdown: text from servers and settings is escaped; only TOOLTIP_COMMANDS run from it. */
  tooltip: string;
  severity: 'normal' | 'warning' | 'error';
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : v >= 1000 ? `${formatNumber(v / 1000, 2)} s` : `${formatNumber(v)} ms`);
const num = (v: number | undefined | null, digits = 0): string => (v === undefined || v === null ? '–' : formatNumber(v, digits));
const gib = (mib: number | null | undefined): string => (mib === null || mib === undefined ? '–' : formatNumber(mib / 1024, 1));

/** The GPU that serves: the one holding the server's process if known, else the first. */
export function servingGpuReading(sample: GpuSample | undefined, index: number | undefined): GpuReading | undefined {
  return (index === undefined ? undefined : sample?.gpus.find((g) => g.index === index)) ?? sample?.gpus[0];
}

function gpuSourceText(source: GpuSource | undefined, state: SamplerState): string {
  if (source?.kind === 'prometheus') return l10n.t('GPU via Prometheus at {0}', esc(source.url));
  return l10n.t('GPU via {0}', state.tool ?? l10n.t('this machine\'s GPU tool'));
}

export function renderStatus(state: StatusState): StatusView {
  switch (state.kind) {
    case 'off':
      if (state.until !== undefined) {
        const at = formatTime(state.until, { hour: '2-digit', minute: '2-digit' });
        return { text: l10n.t('$(clock) Completion Lab: snoozed until {0}', at), tooltip: `${l10n.t('Inline completions are snoozed until {0}.', at)}\n\n[${l10n.t('Resume now')}](command:completionLab.toggle)`, severity: 'normal' };
      }
      return { text: l10n.t('$(circle-slash) Completion Lab: off'), tooltip: `${l10n.t('Inline completions are off (`completionLab.enabled`).')}\n\n[${l10n.t('Turn on')}](command:completionLab.toggle)`, severity: 'normal' };
    case 'no-profile':
      return { text: l10n.t('$(warning) Completion Lab: no model'), tooltip: `${esc(state.message)}\n\n[${l10n.t('Select model')}](command:completionLab.selectModel) · [${l10n.t('Open log')}](command:completionLab.showLog)`, severity: 'warning' };
    case 'unreachable':
      return {
        text: l10n.t('$(debug-disconnect) Completion Lab: server unreachable'),
        tooltip: `**${l10n.t('Server unreachable')}**: ${esc(state.endpoint)}\n\n${esc(state.message)}\n\n[${l10n.t('Start model servers')}](command:completionLab.startServers) · [${l10n.t('Select model')}](command:completionLab.selectModel) · [${l10n.t('Open log')}](command:completionLab.showLog)`,
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
      if (state.kind === 'degraded') {
        lines.push(`$(warning) ${esc(state.message)}`, '');
        if (f.server.templateOf !== undefined) lines.push(`[${l10n.t('Choose another prompt template')}](${commandLink('completionLab.selectModel', { setTemplate: f.server.templateOf })})`, '');
      }
      if (f.note) lines.push(`$(info) ${esc(f.note)}`, '');
      lines.push(`**Completion Lab**: ${f.model ? l10n.t('profile *{0}*, model {1}', esc(f.profile), esc(f.model)) : l10n.t('profile *{0}*', esc(f.profile))}`, '');
      lines.push(...(last ? lastCompletionLines(last) : [l10n.t('No completion yet.')]), '');
      lines.push(l10n.t('TTFT over the last {0}: p50 {1}, p90 {2} (client)', f.count, ms(f.p50), ms(f.p90)));
      if (f.shownP50 !== undefined) lines.push('', l10n.t('Keystroke → ghost text: p50 {0}', ms(f.shownP50)));
      const m = f.server.metrics;
      if (m) {
        lines.push('', l10n.t('Server (/metrics): TTFT mean {0}, {1} tok/s generated, KV cache {2} %, running {3}, waiting {4}', ms(m.ttftMeanMs), num(m.genTokensPerSec, 1), num(m.kvCacheUsagePct, 1), num(m.running), num(m.waiting)));
      }
      if (fleet) {
        lines.push('', ...fleetLines(fleet));
      } else if (gpu) {
        lines.push('', l10n.t('GPU {0} {1}: util {2} %, VRAM {3}/{4} GiB, {5} W, {6} °C', gpu.index, esc(gpu.name ?? ''), num(gpu.utilGpuPct), gib(gpu.memUsedMiB), gib(gpu.memTotalMiB), num(gpu.powerW), num(gpu.tempC)));
      } else {
        lines.push('', l10n.t('GPU: {0}', gpuStateText(f.gpuState)));
      }
      lines.push(`(${gpuSourceText(f.gpuSource, f.gpuState)})`);
      lines.push('', `[${l10n.t('Show profiling panel')}](command:completionLab.showPanel) · [${l10n.t('Select model')}](command:completionLab.selectModel) · [${l10n.t('Open log')}](command:completionLab.showLog)`);
      return { text: parts.join(' · '), tooltip: lines.join('\n'), severity: state.kind === 'degraded' ? 'warning' : 'normal' };
    }
  }
}

/**
 * A markdown link target that runs `command` with `arg`: the JSON percent-encoded whole, so
 * nothing in it (a profile name with brackets or parentheses) can end the link early.
 */
export function commandLink(command: string, arg: unknown): string {
  const encoded = encodeURIComponent(JSON.stringify(arg)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${encoded}`;
}

/** The tooltip's table of the last completion's numbers. */
function lastCompletionLines(last: CompletionRecord): string[] {
  return [
    `| ${l10n.t('last completion')} | |`, '| --- | --- |',
    `| TTFT | ${ms(last.timings?.ttftMs)} |`,
    `| ${l10n.t('end to end')} | ${ms(last.timings?.e2eMs)} |`,
    `| ${l10n.t('time per output token')} | ${ms(last.timings?.tpotMs)} |`,
    `| ${l10n.t('decode speed')} | ${num(last.timings?.decodeTokensPerSec, 1)} tok/s |`,
    `| ${l10n.t('tokens in / out')} | ${num(last.promptTokens)} / ${num(last.timings?.outputTokens)} |`,
    `| ${l10n.t('keystroke → request')} | ${l10n.t('{0} (wait {1})', ms(last.keystrokeToRequestMs), ms(last.debounceMs))} |`,
    `| ${l10n.t('keystroke → ghost text')} | ${ms(last.keystrokeToShownMs)} |`,
    `| ${l10n.t('outcome')} | ${esc(outcomeText(last.outcome))} |`,
  ];
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
  lines.push(row(table.headers), `|${table.headers.map(() => ' --- |').join('')}`, ...table.rows.map(row), '', esc(totalsNote()));
  return lines;
}

function gpuStateText(s: SamplerState): string {
  switch (s.kind) {
    case 'no-gpu-tool':
      return l10n.t('no data (no nvidia-smi, amd-smi or rocm-smi on this machine)');
    case 'restarting':
    case 'failed':
      return l10n.t('no data ({0})', esc(s.message ?? s.kind));
    default:
      return l10n.t('no data yet');
  }
}

/** A record's outcome in the user's words (the record keeps the English id). */
function outcomeText(o: Outcome): string {
  const words: Record<Outcome, string> = {
    pending: l10n.t('pending'),
    shown: l10n.t('shown'),
    accepted: l10n.t('accepted'),
    partial: l10n.t('partially accepted'),
    rejected: l10n.t('rejected'),
    superseded: l10n.t('superseded'),
    cancelled: l10n.t('cancelled'),
    empty: l10n.t('empty'),
    failed: l10n.t('failed'),
  };
  return words[o];
}
