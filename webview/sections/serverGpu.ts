// The active server's own /metrics numbers and this machine's GPUs, as text.
import * as l10n from '@vscode/l10n';
import type { PanelState } from '../../src/protocol';
import { changeGate, el } from '../dom';
import { fmtMs, fmtNum } from '../format';
import type { Section } from '../section';

export function serverGpuSection(): Section {
  const element = el('section', undefined, 'server');
  const body = el('div');
  element.append(el('h2', l10n.t('Server (/metrics) and GPU')), body);
  const show = changeGate((s: Pick<PanelState, 'serverMetrics' | 'gpus' | 'gpuState'>) => {
    const m = s.serverMetrics;
    const lines = [m ? l10n.t('Server-side: TTFT mean {0}, {1} tok/s generated, KV cache {2} %, running {3}, waiting {4}', fmtMs(m.ttftMeanMs), fmtNum(m.genTokensPerSec), fmtNum(m.kvCacheUsagePct), fmtNum(m.running, 0), fmtNum(m.waiting, 0)) : l10n.t('Server-side metrics: none yet.')];
    if (s.gpus.length) for (const g of s.gpus) lines.push(l10n.t('GPU {0} {1}: util {2} %, VRAM {3} / {4} MiB, {5} W, {6} °C', g.index, g.name ?? '', fmtNum(g.utilGpuPct, 0), fmtNum(g.memUsedMiB, 0), fmtNum(g.memTotalMiB, 0), fmtNum(g.powerW, 0), fmtNum(g.tempC, 0)));
    else lines.push(l10n.t('GPU: {0}', gpuStateText(s.gpuState)));
    body.replaceChildren(...lines.map((l) => el('p', l)));
  });
  return { element, update: (s) => show({ serverMetrics: s.serverMetrics, gpus: s.gpus, gpuState: s.gpuState }) };
}

/** The GPU poller's state, sent as an id, in words. */
function gpuStateText(kind: string): string {
  const words: Record<string, string> = { running: l10n.t('running'), stopped: l10n.t('stopped'), restarting: l10n.t('restarting'), failed: l10n.t('failed') };
  return words[kind] ?? kind;
}
