// `completion-lab gpu`: sample the GPU(s) and print one JSON object per line per sample.
// Runs until --count samples were printed or Ctrl-C. No GPU tool: one line on stderr, exit 2.
import * as l10n from '@vscode/l10n';
import { GpuSampler } from '../../core/gpu/sampler';
import type { GpuSample, GpuToolChoice } from '../../core/gpu/types';
import { showHelp } from '../args';
import { CliUsageError } from '../usage';
import { runFleetWatch } from './gpuFleet';

/** A function, not a constant: the terminal's language is loaded after this module. */
const help = (): string => l10n.t(`Usage: completion-lab gpu [--interval-ms N] [--count N] [--tool auto|nvidia-smi|amd-smi|rocm-smi]

Prints one JSON line per sample: {ts, gpus: [{index, name, utilGpuPct, memUsedMiB, memTotalMiB,
powerW, tempC, smClockMHz}], processes: [{pid, name, memMiB}]}. null where the tool had no value.
  --interval-ms N   sample period (default 500, at least 200)
  --count N         stop after N samples (default: run until Ctrl-C)
  --tool T          which tool to poll (default auto: nvidia-smi, then amd-smi, then rocm-smi)

A shared server or cluster, through its Prometheus (NVIDIA dcgm-exporter and vLLM series):
  --prometheus URL  read GPUs and replicas there instead of a local tool; one JSON line per
                    poll: {ts, source: "prometheus", gpus: [...with uuid, hostname, pod],
                    replicas: [{name, requestsRunning, requestsWaiting, kvCacheUsage,
                    meanTtftMs}], fleet: {...summed queue, mean KV cache, TTFT}}
                    (--interval-ms default 5000 here, at least 1000). Exit 1 after --count
                    polls when the last one had a problem (printed once on stderr).
  --selector SEL    label matchers of the replicas and GPUs, e.g. '{namespace="llm"}'
  --gpu-selector S  label matchers of the GPUs when they differ`);

interface GpuArgs {
  intervalMs: number;
  intervalGiven?: boolean;
  prometheus?: string;
  selector?: string;
  gpuSelector?: string;
  count?: number;
  tool: GpuToolChoice;
}

function parseArgs(args: string[]): GpuArgs | 'help' {
  const out: GpuArgs = { intervalMs: 500, tool: 'auto' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CliUsageError(`${flag} needs a value. Run \`completion-lab gpu --help\`.`);
      return v;
    };
    const int = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a positive whole number, got "${v}".`);
      return n;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--interval-ms':
        out.intervalMs = int(value());
        out.intervalGiven = true;
        break;
      case '--prometheus':
        out.prometheus = value();
        break;
      case '--selector':
        out.selector = value();
        break;
      case '--gpu-selector':
        out.gpuSelector = value();
        break;
      case '--count':
        out.count = int(value());
        break;
      case '--tool': {
        const t = value();
        if (!['auto', 'nvidia-smi', 'amd-smi', 'rocm-smi'].includes(t)) throw new CliUsageError(`--tool must be auto, nvidia-smi, amd-smi or rocm-smi, got "${t}".`);
        out.tool = t as GpuToolChoice;
        break;
      }
      default:
        throw new CliUsageError(`unknown option "${a}" for gpu. Run \`completion-lab gpu --help\`.`);
    }
  }
  return out;
}

function toLine(s: GpuSample): string {
  return JSON.stringify({
    ts: s.ts,
    gpus: s.gpus.map((g) => ({
      index: g.index,
      name: g.name,
      utilGpuPct: g.utilGpuPct,
      memUsedMiB: g.memUsedMiB,
      memTotalMiB: g.memTotalMiB,
      powerW: g.powerW,
      tempC: g.tempC,
      smClockMHz: g.smClockMHz,
    })),
    processes: s.processes,
  });
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (showHelp(parsed, help())) return 0;
  if (parsed.prometheus !== undefined) {
    return runFleetWatch({
      url: parsed.prometheus,
      selector: parsed.selector ?? '',
      ...(parsed.gpuSelector !== undefined ? { gpuSelector: parsed.gpuSelector } : {}),
      intervalMs: parsed.intervalGiven ? parsed.intervalMs : 5000,
      ...(parsed.count !== undefined ? { count: parsed.count } : {}),
    });
  }
  if (parsed.selector !== undefined || parsed.gpuSelector !== undefined) throw new CliUsageError('--selector needs --prometheus URL (the Prometheus that scrapes the servers and the DCGM exporter).');
  if (parsed.intervalMs < 200) process.stderr.write(`completion-lab gpu: --interval-ms ${parsed.intervalMs} is below the 200 ms floor; sampling every 200 ms.\n`);
  const sampler = new GpuSampler({ intervalMs: parsed.intervalMs, tool: parsed.tool });
  return new Promise<number>((resolve) => {
    let printed = 0;
    let restartReported = false;
    let hold: { dispose(): void } | undefined;
    const finish = (code: number) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      hold?.dispose();
      sampler.dispose();
      void sampler.whenChildExited().then(() => resolve(code));
    };
    const onSignal = () => finish(0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    sampler.onSample((s) => {
      if (parsed.count !== undefined && printed >= parsed.count) return;
      process.stdout.write(toLine(s) + '\n');
      printed++;
      if (parsed.count !== undefined && printed >= parsed.count) finish(0);
    });
    sampler.onState((st) => {
      if (st.kind === 'no-gpu-tool') {
        process.stderr.write(`${st.message}\n`);
        finish(2);
      } else if (st.kind === 'failed') {
        process.stderr.write(`completion-lab gpu: ${st.message}\n`);
        finish(1);
      } else if (st.kind === 'restarting' && !restartReported) {
        // Once: the retries that follow would repeat it; giving up ends with 'failed' above.
        restartReported = true;
        process.stderr.write(`completion-lab gpu: ${st.message}\n`);
      }
    });
    hold = sampler.acquire();
  });
}
