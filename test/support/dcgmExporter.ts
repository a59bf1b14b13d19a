// A small HTTP server that prints GPU series exactly as NVIDIA's dcgm-exporter does, for a
// real Prometheus to scrape in tests (there is no GPU here to run the real exporter on).
// Format from github.com/NVIDIA/dcgm-exporter (commit d5e5f51, May 2026):
// internal/pkg/rendermetrics/render_metrics.go, gpuMetricsFormat:
//   NAME{gpu="0",UUID="GPU-…",pci_bus_id="…",device="nvidia0",modelName="…",Hostname="…"
//        [,container="…",namespace="…",pod="…"]} VALUE
// (`Hostname` became `hostname` in that very commit; the older spelling, which most
// deployments still run, is printed here), names and HELP texts from etc/default-counters.csv.
// The pod/namespace/container labels are the exporter's Kubernetes mapping of which pod
// holds the GPU. `/bare` serves the same series with their GPU labels stripped, as a
// relabelling rule that drops them would leave them.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type DcgmField = 'DCGM_FI_DEV_GPU_UTIL' | 'DCGM_FI_DEV_FB_USED' | 'DCGM_FI_DEV_FB_FREE' | 'DCGM_FI_DEV_POWER_USAGE' | 'DCGM_FI_DEV_GPU_TEMP' | 'DCGM_FI_DEV_SM_CLOCK';

const FIELDS: { name: DcgmField; help: string }[] = [
  { name: 'DCGM_FI_DEV_SM_CLOCK', help: 'SM clock frequency (in MHz).' },
  { name: 'DCGM_FI_DEV_GPU_TEMP', help: 'GPU temperature (in C).' },
  { name: 'DCGM_FI_DEV_POWER_USAGE', help: 'Power draw (in W).' },
  { name: 'DCGM_FI_DEV_GPU_UTIL', help: 'GPU utilization (in %).' },
  { name: 'DCGM_FI_DEV_FB_FREE', help: 'Framebuffer memory free (in MiB).' },
  { name: 'DCGM_FI_DEV_FB_USED', help: 'Framebuffer memory used (in MiB).' },
];

export interface FakeGpu {
  gpu: number;
  uuid: string;
  modelName: string;
  hostname: string;
  /** The pod holding the GPU (Kubernetes mapping); absent: an idle GPU. */
  pod?: { namespace: string; name: string; container: string };
  values: Record<DcgmField, number>;
}

export interface DcgmExporter {
  url: string;
  port: number;
  gpus: FakeGpu[];
  /** What the exporter prints now. */
  text(bare?: boolean): string;
  close(): Promise<void>;
}

/** An H200 on gpu-node-1, held by pod `pod` of namespace "llm" (none: idle), with these readings. */
export function fakeGpu(i: number, pod: string | undefined, util: number, used: number, free: number, power: number): FakeGpu {
  return {
    gpu: i,
    uuid: `GPU-5f0c6a1e-7d3b-4c1a-9e2f-00000000000${i}`,
    modelName: 'NVIDIA H200',
    hostname: 'gpu-node-1',
    ...(pod ? { pod: { namespace: 'llm', name: pod, container: 'vllm' } } : {}),
    values: { DCGM_FI_DEV_GPU_UTIL: util, DCGM_FI_DEV_FB_USED: used, DCGM_FI_DEV_FB_FREE: free, DCGM_FI_DEV_POWER_USAGE: power, DCGM_FI_DEV_GPU_TEMP: 41, DCGM_FI_DEV_SM_CLOCK: 1980 },
  };
}

function render(gpus: readonly FakeGpu[], bare: boolean): string {
  const lines: string[] = [];
  for (const f of FIELDS) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`);
    for (const g of gpus) {
      let labels = bare
        ? `modelName="${g.modelName}"`
        : `gpu="${g.gpu}",UUID="${g.uuid}",pci_bus_id="00000000:${(0x18 + g.gpu * 0x10).toString(16).toUpperCase()}:00.0",device="nvidia${g.gpu}",modelName="${g.modelName}",Hostname="${g.hostname}"`;
      if (g.pod) labels += `,container="${g.pod.container}",namespace="${g.pod.namespace}",pod="${g.pod.name}"`;
      lines.push(`${f.name}{${labels}} ${g.values[f.name]}`);
    }
  }
  return lines.join('\n') + '\n';
}

export async function startDcgmExporter(gpus: FakeGpu[]): Promise<DcgmExporter> {
  const server = http.createServer((req, res) => {
    const bare = req.url === '/bare';
    if (req.url !== '/metrics' && !bare) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render(gpus, bare));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    gpus,
    text: (bare = false) => render(gpus, bare),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
