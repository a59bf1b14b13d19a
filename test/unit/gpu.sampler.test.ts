// GpuSampler end to end against the stand-in nvidia-smi that replays real H200 output.
import * as assert from 'node:assert/strict';
import { GpuSampler } from '../../src/core/gpu/sampler';
import type { GpuSample, SamplerState } from '../../src/core/gpu/types';
import { emptyPathEnv, installReplayNvidiaSmi, type ReplayInstall } from '../support/replay-nvidia-smi';
import { alive } from '../support/processes';


async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GpuSampler with the replaying nvidia-smi', function () {
  let replay: ReplayInstall | undefined;
  let sampler: GpuSampler | undefined;
  afterEach(async () => {
    sampler?.dispose();
    await sampler?.whenChildExited();
    replay?.cleanup();
    sampler = undefined;
    replay = undefined;
  });

  it('emits samples with the real values from one long-running -lms process, with per-process VRAM', async () => {
    replay = installReplayNvidiaSmi();
    sampler = new GpuSampler({ env: replay.env, intervalMs: 200 });
    const samples: GpuSample[] = [];
    sampler.onSample((s) => samples.push(s));
    const hold = sampler.acquire();
    await waitFor('a sample with VRAM 4649 MiB and the process list', () =>
      samples.find((s) => s.gpus[0]?.memUsedMiB === 4649 && s.processes.length > 0),
    );
    await waitFor('six samples', () => samples.length >= 6);
    const s = samples.find((x) => x.gpus[0]?.memUsedMiB === 4649 && x.processes.length)!;
    assert.equal(s.gpus.length, 1);
    assert.equal(s.gpus[0]!.memTotalMiB, 143771);
    assert.equal(s.gpus[0]!.name, 'NVIDIA H200');
    assert.equal(s.gpus[0]!.smClockMHz, 1980);
    assert.deepEqual(s.processes, [{ pid: 397, name: 'python3', memMiB: 4710 }]);
    assert.equal(sampler.state.kind, 'running');
    // Never a spawn per sample: one loop process for all these samples.
    const loops = replay.invocations().filter((l) => l.includes('-lms'));
    assert.equal(loops.length, 1);
    assert.match(loops[0]!, /-lms 200/);
    // Joining to records by time.
    const t0 = samples[1]!.ts;
    const t1 = samples[4]!.ts;
    assert.deepEqual(sampler.samplesBetween(t0, t1).map((x) => x.ts), samples.slice(1, 5).map((x) => x.ts));
    const summary = sampler.summarize(t0, t1, samples[2]!.ts);
    assert.equal(summary.samples, 4);
    assert.equal(summary.vramIdleMiB, samples[1]!.gpus[0]!.memUsedMiB);
    assert.equal(summary.vramAtFirstTokenMiB, samples[2]!.gpus[0]!.memUsedMiB);
    assert.equal(summary.vramPeakMiB, Math.max(...samples.slice(1, 5).map((x) => x.gpus[0]!.memUsedMiB!)));
    assert.equal(summary.utilMeanPct, 0);
    hold.dispose();
  });

  it('runs only while held: the child is killed after the last release', async () => {
    replay = installReplayNvidiaSmi();
    sampler = new GpuSampler({ env: replay.env, intervalMs: 200 });
    const a = sampler.acquire();
    const b = sampler.acquire();
    const pid = await waitFor('the running state', () => sampler!.state.kind === 'running' && sampler!.state.pid);
    assert.ok(alive(pid));
    a.dispose();
    a.dispose(); // a second dispose of the same hold must not release the other holder
    await sleep(300);
    assert.ok(alive(pid), 'still held by b');
    assert.equal(sampler.state.kind, 'running');
    b.dispose();
    await sampler.whenChildExited();
    await waitFor('the pid to be gone', () => !alive(pid), 5000);
    assert.equal(sampler.state.kind, 'stopped');
    // A new hold starts a new child.
    const c = sampler.acquire();
    const pid2 = await waitFor('running again', () => sampler!.state.kind === 'running' && sampler!.state.pid);
    assert.notEqual(pid2, pid);
    c.dispose();
  });

  it('restarts a child that died, with backoff reported as a state, and samples again', async () => {
    replay = installReplayNvidiaSmi();
    sampler = new GpuSampler({ env: replay.env, intervalMs: 200 });
    const states: SamplerState[] = [];
    const samples: GpuSample[] = [];
    sampler.onState((s) => states.push(s));
    sampler.onSample((s) => samples.push(s));
    const hold = sampler.acquire();
    await waitFor('three samples', () => samples.length >= 3);
    const firstPid = states.find((s) => s.kind === 'running')!.pid!;
    // A real death of the tool (as when the driver is reloaded), not a scripted one.
    process.kill(firstPid, 'SIGKILL');
    const restarting = await waitFor('a restarting state', () => states.find((s) => s.kind === 'restarting'));
    assert.equal(restarting.retryInMs, 1000);
    assert.match(restarting.message!, /killed by SIGKILL/);
    const beforeRestart = samples.length;
    await waitFor('a new child', () => states.some((s) => s.kind === 'running' && s.pid !== firstPid));
    await waitFor('samples after the restart', () => samples.length > beforeRestart);
    assert.ok(replay.invocations().filter((l) => l.includes('-lms')).length >= 2);
    hold.dispose();
  });

  it('with no GPU tool on PATH says so once and spawns nothing again', async () => {
    const none = emptyPathEnv();
    try {
      for (const tool of ['auto', 'nvidia-smi'] as const) {
        sampler = new GpuSampler({ env: none.env, tool, intervalMs: 200 });
        const states: SamplerState[] = [];
        let samples = 0;
        sampler.onState((s) => states.push(s));
        sampler.onSample(() => samples++);
        const hold = sampler.acquire();
        await sleep(1500);
        assert.deepEqual(states.map((s) => s.kind), ['no-gpu-tool']);
        if (tool === 'auto') assert.match(states[0]!.message!, /No GPU tool found: nvidia-smi, amd-smi and rocm-smi are not on PATH/);
        assert.equal(samples, 0);
        hold.dispose();
        sampler.dispose();
      }
    } finally {
      none.cleanup();
    }
  });
});
