// Which GPU the active server runs on, for the status bar's "VRAM of the serving GPU": the
// processes listening on a local endpoint's port (and their children) looked up in
// nvidia-smi's per-process memory. A remote endpoint, another user's server or a machine
// without nvidia-smi gives no answer, and the status bar keeps showing the first GPU.
import { servingGpu } from '../core/gpu/attribution';
import { ProcessVramPoller } from '../core/gpu/processVram';
import type { GpuSampler } from '../core/gpu/sampler';
import { findServerProcesses, isLocalHost } from '../core/gpu/serverProcesses';
import { Disposable } from './dispose';
import type { GpuWatch } from './gpuWatch';

/** The status bar needs no faster answer; one short nvidia-smi call per poll, only while watched. */
const POLL_MS = 5000;
/** How often the server's processes are looked for again while none are known (a /proc walk). */
const RETRY_MS = 15000;

export class ServingGpuFinder extends Disposable {
  private readonly poller = new ProcessVramPoller({ intervalMs: POLL_MS, historySize: 2 });
  private pids: number[] | undefined;
  private lastLookup = 0;
  private polling = false;

  constructor(private readonly endpoint: string, sampler: GpuSampler, private readonly watch: GpuWatch) {
    super();
    // Another machine's server: nothing here can name its processes, so nothing is looked up.
    if (isLocalEndpoint(endpoint)) this.register(sampler.onSample(() => this.update()));
  }

  private update(): void {
    const now = Date.now();
    if (!this.pids && now - this.lastLookup >= RETRY_MS) {
      this.lastLookup = now;
      const found = findServerProcesses(this.endpoint);
      if (found.kind === 'local') this.pids = found.pids;
    }
    // nvidia-smi's per-process list is read only once there is a local server to look for.
    if (this.pids && !this.polling) {
      this.polling = true;
      this.register(this.watch.holdWhileWatched(this.poller));
    }
    const snapshot = this.poller.latest();
    if (!this.pids || !snapshot) return;
    const gpu = servingGpu(snapshot, this.pids);
    // The server restarted (new PIDs) or left the GPU: look again, show the first GPU meanwhile.
    if (gpu.kind === 'none') this.pids = undefined;
    this.watch.stats.setServingGpu(gpu.kind === 'process' ? gpu.gpus[0] : undefined);
  }
}

function isLocalEndpoint(endpoint: string): boolean {
  try {
    return isLocalHost(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}
