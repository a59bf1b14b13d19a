#!/usr/bin/env node
// A stand-in `nvidia-smi` that REPLAYS the real capture of two servers on one H200
// (test/fixtures/nvidia-smi-h200-two-servers/), with the captured PIDs rewritten to PIDs
// of this machine, so per-process attribution can be tested against real local servers:
//   --query-compute-apps=pid,gpu_uuid,used_memory   apps.csv, PIDs mapped by REPLAY_PID_MAP
//   --query-gpu=index,uuid                          gpus.csv
//   --query-gpu=<QUERY fields> [-lms N]             load.csv (the card), looping every N ms
// Env: REPLAY_SMI_FIXTURES (the fixture dir), REPLAY_PID_MAP ("481:12345,480:12346":
// captured PID -> local PID; rows of unmapped PIDs are printed as captured).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.REPLAY_SMI_FIXTURES;
if (!dir) {
  process.stderr.write('replay nvidia-smi: REPLAY_SMI_FIXTURES is not set\n');
  process.exit(9);
}
const args = process.argv.slice(2);
const read = (name) => fs.readFileSync(path.join(dir, name), 'utf8');
const argValue = (prefix) => args.find((x) => x.startsWith(prefix))?.slice(prefix.length);
if (argValue('--format=') !== 'csv,noheader,nounits') {
  process.stderr.write('replay nvidia-smi: only --format=csv,noheader,nounits is replayed\n');
  process.exit(3);
}
const QUERY = 'index,name,uuid,driver_version,pstate,temperature.gpu,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,power.draw,power.limit,clocks.sm,clocks.mem'.split(',');

const apps = argValue('--query-compute-apps=');
if (apps !== undefined) {
  if (apps !== 'pid,gpu_uuid,used_memory') {
    process.stderr.write(`replay nvidia-smi: only pid,gpu_uuid,used_memory was captured, not ${apps}\n`);
    process.exit(3);
  }
  const map = new Map((process.env.REPLAY_PID_MAP || '').split(',').filter(Boolean).map((p) => p.split(':')));
  const lines = read('apps.csv').split('\n').filter((l) => l.trim());
  process.stdout.write(lines.map((l) => {
    const [pid, ...rest] = l.split(', ');
    return [map.get(pid) ?? pid, ...rest].join(', ') + '\n';
  }).join(''));
  process.exit(0);
}
const query = argValue('--query-gpu=');
if (query === 'index,uuid') {
  process.stdout.write(read('gpus.csv'));
  process.exit(0);
}
const asked = (query || '').split(',');
const bad = asked.find((f) => !QUERY.includes(f));
if (!query || bad) {
  process.stderr.write(`replay nvidia-smi: field ${bad} was not captured\n`);
  process.exit(3);
}
const cells = read('load.csv').trim().split(', ');
const line = asked.map((f) => cells[QUERY.indexOf(f)]).join(', ') + '\n';
const loop = args.indexOf('-lms');
if (loop < 0) {
  process.stdout.write(line);
  process.exit(0);
}
const every = Math.max(10, Number(args[loop + 1]) || 500);
const tick = () => {
  process.stdout.write(line);
  setTimeout(tick, every);
};
tick();
