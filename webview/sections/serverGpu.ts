// The active server's own /metrics numbers and this machine's GPUs, as text.
import type { PanelState } from '../../src/protocol';
import { changeGate, el } from '../dom';
import { fmtMs, fmtNum } from '../format';
import type { Section } from '../section';

export function serverGpuSection(): Section {
  const element = el('section', undefined, 'server');
  const body = el('div');
  element.append(el('h2', 'Server (/metrics) and GPU'), body);
  const show = changeGate((s: Pick<PanelState, 'serverMetrics' | 'gpus' | 'gpuState'>) => {
    const m = s.serverMetrics;
    const lines = [m ? `Server-side: TTFT mean ${fmtMs(m.ttftMeanMs)}, ${fmtNum(m.genTokensPerSec)} tok/s generated, KV cache ${fmtNum(m.kvCacheUsagePct)} %, running ${fmtNum(m.running, 0)}, waiting ${fmtNum(m.waiting, 0)}` : 'Server-side metrics: none yet.'];
    if (s.gpus.length) for (const g of s.gpus) lines.push(`GPU ${g.index} ${g.name ?? ''}: util ${fmtNum(g.utilGpuPct, 0)} %, VRAM ${fmtNum(g.memUsedMiB, 0)} / ${fmtNum(g.memTotalMiB, 0)} MiB, ${fmtNum(g.powerW, 0)} W, ${fmtNum(g.tempC, 0)} °C`);
    else lines.push(`GPU: ${s.gpuState}`);
    body.replaceChildren(...lines.map((l) => el('p', l)));
  });
  return { element, update: (s) => show({ serverMetrics: s.serverMetrics, gpus: s.gpus, gpuState: s.gpuState }) };
}
