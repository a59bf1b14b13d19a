// Bench: CPU cost per GPU sample, one long-running `nvidia-smi -lms` loop (GpuSampler) vs
// spawning nvidia-smi once per sample. Uses the replaying stand-in (a node script, so the
// absolute numbers are the stand-in's, not NVIDIA's; the ratio is what the design relies on).
// Prints a markdown table. Run: npx tsc -p tsconfig.test.json && node out/test/bench/samplerCpu.js
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { GpuSampler } from '../../src/core/gpu/sampler';
import { gpuQueryArgs, GPU_QUERY_FIELDS, parseGpuCsv } from '../../src/core/gpu/nvidiaSmi';
import { installReplayNvidiaSmi } from '../support/replay-nvidia-smi';
import * as path from 'node:path';

const run = promisify(execFile);
const CLK_TCK = 100; // Linux USER_HZ; /proc stat times are in these ticks

/** utime+stime (and with children: cutime+cstime) of a process from /proc, in ms. */
function procCpuMs(pid: number | 'self', children = false): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime = field 14, stime 15, cutime 16, cstime 17
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return (ticks * 1000) / CLK_TCK;
}

function parentCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function loopBench(samples: number): Promise<{ wallMs: number; parentMs: number; childMs: number; spawns: number }> {
  const replay = installReplayNvidiaSmi();
  const sampler = new GpuSampler({ env: replay.env, intervalMs: 200 });
  let n = 0;
  let pid = 0;
  // Warm up (child start-up is paid once, not per sample): measure from the 3rd sample on.
  let start: { wall: number; parent: number; child: number } | undefined;
  const done = new Promise<{ wallMs: number; parentMs: number; childMs: number }>((resolve) => {
    sampler.onSample(() => {
      n++;
      pid = sampler.state.pid ?? pid;
      if (n === 3) start = { wall: performance.now(), parent: parentCpuMs(), child: procCpuMs(pid) };
      if (n === 3 + samples && start) resolve({ wallMs: performance.now() - start.wall, parentMs: parentCpuMs() - start.parent, childMs: procCpuMs(pid) - start.child });
    });
  });
  const hold = sampler.acquire();
  const r = await done;
  hold.dispose();
  await sampler.whenChildExited();
  const spawns = replay.invocations().filter((l) => l.includes('-lms')).length;
  replay.cleanup();
  return { ...r, spawns };
}

async function spawnBench(samples: number): Promise<{ wallMs: number; parentMs: number; childMs: number }> {
  const replay = installReplayNvidiaSmi();
  const exe = path.join(replay.dir, 'nvidia-smi');
  await run(exe, gpuQueryArgs(GPU_QUERY_FIELDS), { env: replay.env }); // warm the file cache
  const wall = performance.now();
  const parent = parentCpuMs();
  const children = procCpuMs('self', true) - procCpuMs('self');
  for (let i = 0; i < samples; i++) {
    const { stdout } = await run(exe, gpuQueryArgs(GPU_QUERY_FIELDS), { env: replay.env });
    parseGpuCsv(stdout);
  }
  const childMs = procCpuMs('self', true) - procCpuMs('self') - children;
  const r = { wallMs: performance.now() - wall, parentMs: parentCpuMs() - parent, childMs };
  replay.cleanup();
  return r;
}

async function main(): Promise<void> {
  const N = Number(process.env['BENCH_SAMPLES'] ?? 40);
  const loop = await loopBench(N);
  const spawned = await spawnBench(N);
  const row = (name: string, r: { wallMs: number; parentMs: number; childMs: number }, spawns: number) =>
    `| ${name} | ${N} | ${spawns} | ${(r.parentMs / N).toFixed(2)} | ${(r.childMs / N).toFixed(2)} | ${((r.parentMs + r.childMs) / N).toFixed(2)} | ${(r.wallMs / N).toFixed(1)} |`;
  console.log(`\n### GPU sampler CPU per sample (replaying stand-in nvidia-smi, ${process.arch}, node ${process.version})\n`);
  console.log('| method | samples | tool processes | parent CPU ms/sample | tool CPU ms/sample | total CPU ms/sample | wall ms/sample |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('one `-lms` loop (GpuSampler)', loop, loop.spawns));
  console.log(row('spawn per sample', spawned, N));
  console.log('\nTool CPU is from /proc (utime+stime of the loop child; cutime+cstime of reaped per-sample children), 10 ms resolution.');
}

void main();
