// A GPU tool that prints garbage or nothing must not leave the sampler "running" forever:
// reported, restarted a bounded number of times, then given up with a clear message. The
// "tools" here are real programs placed on PATH as nvidia-smi: `cat` of a real binary
// file, and a script that prints nothing.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GpuSampler } from '../../src/core/gpu/sampler';
import type { SamplerState } from '../../src/core/gpu/types';
import { repoRoot } from '../support/engine';

function toolDir(script: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-gpu-tool-'));
  const file = path.join(dir, 'nvidia-smi');
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(file, 0o755);
  return dir;
}

describe('GPU sampler: a tool that prints garbage or nothing', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('a loop printing binary garbage is restarted, then given up with a message that shows what it printed', async () => {
    const dir = toolDir(`cat ${process.execPath}; exec sleep 600`);
    dirs.push(dir);
    const sampler = new GpuSampler({ env: { PATH: `${dir}:/usr/bin:/bin` }, tool: 'nvidia-smi', intervalMs: 200, stallMs: 400, backoffInitialMs: 50, maxRestarts: 2 });
    const states: SamplerState[] = [];
    const failed = new Promise<SamplerState>((resolve) => sampler.onState((s) => (states.push(s), s.kind === 'failed' && resolve(s))));
    sampler.acquire();
    const end = await failed;
    assert.match(end.message!, /could not read/);
    assert.match(end.message!, /Gave up after 2 restarts/);
    assert.equal(states.filter((s) => s.kind === 'restarting').length, 2);
    await sampler.whenChildExited();
    sampler.dispose();
  });

  it('a tool that prints nothing and exits: `completion-lab gpu --count 2` gives up and exits 1 with a clear message', async () => {
    const dir = toolDir('exit 0');
    dirs.push(dir);
    const run = await new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'gpu', '--count', '2', '--tool', 'nvidia-smi'], { env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` }, timeout: 50_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stderr, stdout });
      });
    });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /Gave up after 3 restarts/);
    assert.equal(run.stderr.match(/retrying/g)?.length ?? 0, 1, `the retries are reported once: ${run.stderr}`);
  });
});
