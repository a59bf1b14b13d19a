#!/usr/bin/env node
// A stand-in `nvidia-smi` for tests and benches: it REPLAYS real output captured on an H200
// (test/fixtures/nvidia-smi/), it does not make numbers up, and it invents no failures: a
// test that needs a dying tool kills this process for real.
//   --query-gpu=F1,F2,... -lms N  prints the lines of h200-trace-excerpt.csv, only the fields
//                                 asked (in the order asked), at the trace's own pace, looping
//   --query-gpu=...               (no loop) prints the first trace line
//   --query-compute-apps=...      prints h200-apps-load.csv (h200-apps-idle.csv with REPLAY_NVIDIA_SMI_APPS=idle)
// The captured unknown field (`bogus.field`) gets the real rc-2 answer, invalid-field-rc2.txt,
// exit code 2. Anything never captured is refused (exit 3) with a message naming the stand-in.
// Env: REPLAY_NVIDIA_SMI_FIXTURES (fixture dir, required), REPLAY_NVIDIA_SMI_LOG=file (one
// line per invocation: "<pid> <args>", to count spawns).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.REPLAY_NVIDIA_SMI_FIXTURES;
if (!dir) {
  process.stderr.write('replay nvidia-smi: REPLAY_NVIDIA_SMI_FIXTURES is not set\n');
  process.exit(9);
}
const args = process.argv.slice(2);
if (process.env.REPLAY_NVIDIA_SMI_LOG) fs.appendFileSync(process.env.REPLAY_NVIDIA_SMI_LOG, `${process.pid} ${args.join(' ')}\n`);

const read = (name) => fs.readFileSync(path.join(dir, name), 'utf8');
const argValue = (prefix) => {
  const a = args.find((x) => x.startsWith(prefix));
  return a === undefined ? undefined : a.slice(prefix.length);
};
const format = argValue('--format=');
if (format !== undefined && format !== 'csv,noheader,nounits') {
  process.stderr.write(`replay nvidia-smi: only --format=csv,noheader,nounits is replayed, not "${format}"\n`);
  process.exit(3);
}

/** Only the unknown field that was captured is answered as nvidia-smi would. */
function unknownField(field) {
  if (field === 'bogus.field') {
    process.stdout.write(read('invalid-field-rc2.txt'));
    process.exit(2);
  }
  process.stderr.write(`replay nvidia-smi: no capture for field "${field}"\n`);
  process.exit(3);
}

const apps = argValue('--query-compute-apps=');
if (apps !== undefined) {
  const known = ['pid', 'process_name', 'used_memory'];
  const bad = apps.split(',').find((f) => !known.includes(f));
  if (bad) unknownField(bad);
  process.stdout.write(read(process.env.REPLAY_NVIDIA_SMI_APPS === 'idle' ? 'h200-apps-idle.csv' : 'h200-apps-load.csv'));
  process.exit(0);
}

const query = argValue('--query-gpu=');
if (query === undefined) {
  process.stderr.write('replay nvidia-smi: only --query-gpu and --query-compute-apps are replayed\n');
  process.exit(3);
}
const traceFields = ['timestamp', ...read('QUERY.txt').trim().split(',')];
const asked = query.split(',');
const bad = asked.find((f) => !traceFields.includes(f));
if (bad) unknownField(bad);
const rows = read('h200-trace-excerpt.csv').split('\n').filter((l) => l.trim()).map((l) => l.split(', '));
const project = (cells) => asked.map((f) => cells[traceFields.indexOf(f)]).join(', ') + '\n';
const tsOf = (cells) => {
  const m = /(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(cells[0]);
  return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4];
};

const loopIdx = args.findIndex((a) => a === '-lms' || a === '--loop-ms' || a === '-l' || a === '--loop');
if (loopIdx < 0) {
  process.stdout.write(project(rows[0]));
  process.exit(0);
}
let i = 0;
const tick = () => {
  const cells = rows[i % rows.length];
  process.stdout.write(project(cells));
  const next = rows[(i + 1) % rows.length];
  // The trace's own spacing (~100 ms); across the loop's wrap, 100 ms.
  const gap = (i + 1) % rows.length === 0 ? 100 : Math.max(10, tsOf(next) - tsOf(cells));
  i++;
  setTimeout(tick, gap);
};
tick();
