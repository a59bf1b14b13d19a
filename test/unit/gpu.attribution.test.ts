// Per-model GPU numbers: the server behind an endpoint (real /proc on this machine, and the
// /proc/net captures from the H200 box), per-process memory joined to GPU indices (real
// nvidia-smi output of two servers on one H200), and the window summary built from them.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { processMemory, servingGpu, summarizeModelGpu } from '../../src/core/gpu/attribution';
import { parseGpuIndexTable, parseProcessVram, ProcessVramPoller, type ProcessVramSnapshot } from '../../src/core/gpu/processVram';
import { findServerProcesses, isLocalHost, parentOf, parseProcNetTcp } from '../../src/core/gpu/serverProcesses';
import { parseGpuCsv } from '../../src/core/gpu/nvidiaSmi';
import { alive } from '../support/processes';
import { CAPTURED, installTwoServersSmi, twoServersFixtures } from '../support/replayTwoServersSmi';

const fixture = (name: string): string => fs.readFileSync(path.join(twoServersFixtures, name), 'utf8');
const captured = JSON.parse(fixture('pids.json')) as { serverA: { listenerPid: number; port: number; childPids: number[] }; serverB: { listenerPid: number; port: number } };

describe('gpu attribution: parsing the captures', () => {
  it('finds both captured listeners in /proc/net/tcp and tcp6 by port', () => {
    const v4 = parseProcNetTcp(fixture('proc-net-tcp.txt')).filter((r) => r.state === '0A');
    const v6 = parseProcNetTcp(fixture('proc-net-tcp6.txt')).filter((r) => r.state === '0A');
    assert.ok(v4.some((r) => r.localPort === captured.serverA.port && r.inode > 0), 'server A on 127.0.0.1');
    assert.ok(v6.some((r) => r.localPort === captured.serverB.port && r.inode > 0), 'server B on [::1]');
  });

  it('joins each process to its GPU index: two processes, their own memory, not the card\'s', () => {
    const index = parseGpuIndexTable(fixture('gpus.csv'));
    assert.deepEqual([...index.values()], [0]);
    const apps = parseProcessVram(fixture('apps.csv'), index);
    assert.deepEqual(apps.map((a) => [a.pid, a.gpuIndex, a.memMiB]), [[CAPTURED.serverB, 0, 1718], [CAPTURED.serverAChild, 0, 3518]]);
    const card = parseGpuCsv(fixture('load.csv'))[0]!.reading;
    assert.equal(card.memUsedMiB, 5251, 'the card shows both together');
    const snap: ProcessVramSnapshot = { ts: 0, apps };
    // Server A's listener holds nothing on the GPU; its child (the engine core) does.
    assert.deepEqual(processMemory(snap, new Set([captured.serverA.listenerPid, ...captured.serverA.childPids])), { gpus: [0], memMiB: 3518, alone: false });
    assert.deepEqual(processMemory(snap, new Set([captured.serverB.listenerPid])), { gpus: [0], memMiB: 1718, alone: false });
    assert.equal(processMemory(snap, new Set([1])), undefined);
    assert.deepEqual(servingGpu(snap, [captured.serverB.listenerPid]), { kind: 'process', gpus: [0], memMiB: 1718, alone: false });
    assert.equal(servingGpu(snap, [1]).kind, 'none');
    assert.equal(servingGpu(undefined, [1]).kind, 'none');
  });

  it('reads the parent out of /proc/PID/stat even with ") " in the command name', () => {
    assert.equal(parentOf('1234 (a) b (c)) S 77 1234 1234 0 -1'), 77);
    assert.equal(parentOf(fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8')), process.ppid);
  });
});

describe('gpu attribution: window summary', () => {
  const index = new Map([['GPU-x', 0]]);
  const snap = (ts: number, a: number, b: number): ProcessVramSnapshot => ({ ts, apps: parseProcessVram(`10, GPU-x, ${a}\n20, GPU-x, ${b}\n`, index) });
  const card = (ts: number, used: number, util: number) => ({ ts, processes: [], gpus: [{ index: 0, name: 'H200', utilGpuPct: util, utilMemPct: 0, memUsedMiB: used, memTotalMiB: 143771, powerW: 100, tempC: 40, smClockMHz: 1980 }] });

  it('idle before the window, at the first token, peak and std of the model\'s own processes; the card beside it; shared utilisation', () => {
    const snaps = [snap(900, 1000, 500), snap(1000, 1200, 500), snap(1500, 1400, 700), snap(2000, 1200, 500)];
    const s = summarizeModelGpu(snaps, [10], { t0: 1000, t1: 2000, firstTokenTs: 1450 }, [card(950, 1500, 0), card(1200, 1900, 50), card(1800, 2100, 90)]);
    assert.equal(s.attribution, 'process');
    assert.deepEqual([s.vramIdleMiB, s.vramAtFirstTokenMiB, s.vramPeakMiB], [1200, 1400, 1400]);
    assert.ok(Math.abs(s.vramStdMiB! - Math.sqrt(((1200 - 1266.67) ** 2 * 2 + (1400 - 1266.67) ** 2) / 3)) < 0.01);
    assert.deepEqual(s.card, { vramIdleMiB: 1500, vramPeakMiB: 2100, memTotalMiB: 143771 });
    assert.equal(s.utilShared, true, 'process 20 is on the same card');
    assert.equal(s.utilMeanPct, undefined);
    const alone = summarizeModelGpu(snaps.map((x) => ({ ...x, apps: x.apps.filter((a) => a.pid === 10) })), [10], { t0: 1000, t1: 2000 }, [card(1200, 1900, 50), card(1800, 2100, 90)]);
    assert.equal(alone.utilShared, undefined);
    assert.equal(alone.utilMeanPct, 70, 'the card runs only this model: its utilisation is the model\'s');
  });

  it('says why when the server\'s processes hold no GPU memory (container PIDs, CPU-only server)', () => {
    const s = summarizeModelGpu([snap(1000, 1200, 500)], [99], { t0: 1000, t1: 2000 });
    assert.equal(s.attribution, 'none');
    assert.match(s.reason!, /no GPU memory for the server's processes \(PIDs 99\).*container/);
    assert.equal(s.vramPeakMiB, undefined);
  });
});

describe('gpu attribution: the processes behind a local endpoint (real /proc)', function () {
  this.timeout(20_000);
  let parent: ChildProcess;
  let port: number;
  let childPid: number;
  before(async () => {
    // A listener that forks a child, like vLLM's API server and its engine core.
    const script = `const net=require('net');const {spawn}=require('child_process');const c=spawn(process.execPath,['-e','setInterval(()=>{},1e3)'],{stdio:'ignore'});const s=net.createServer().listen(0,'127.0.0.1',()=>console.log(JSON.stringify({port:s.address().port,child:c.pid})));process.on('SIGTERM',()=>{c.kill();process.exit(0)});`;
    parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    ({ port, child: childPid } = JSON.parse(line) as { port: number; child: number });
  });
  after(() => parent?.kill('SIGTERM'));

  it('finds the listener and its descendants by the endpoint\'s port', () => {
    const found = findServerProcesses(`http://127.0.0.1:${port}/v1`);
    assert.equal(found.kind, 'local');
    if (found.kind !== 'local') return;
    assert.deepEqual(found.listenerPids, [parent.pid]);
    assert.ok(found.pids.includes(parent.pid!) && found.pids.includes(childPid), `${found.pids} holds ${parent.pid} and ${childPid}`);
    assert.ok(alive(childPid));
    assert.equal(findServerProcesses(`http://localhost:${port}`).kind, 'local');
  });

  it('says why for a remote host, a closed port and a bad URL', () => {
    const remote = findServerProcesses('http://gpu-box.example.com:8000');
    assert.deepEqual(remote.kind, 'none');
    assert.match((remote as { reason: string }).reason, /not this machine/);
    assert.equal(isLocalHost('[::1]'), true);
    assert.equal(isLocalHost('10.255.255.1'), false);
    const closed = findServerProcesses('http://127.0.0.1:1');
    assert.match((closed as { reason: string }).reason, /nothing listens on port 1/);
    assert.match((findServerProcesses('not a url') as { reason: string }).reason, /not a URL/);
  });
});

describe('gpu attribution: the poller with the stand-in replaying the two-servers capture', function () {
  this.timeout(20_000);
  it('maps the captured PIDs to local ones and keeps a timeline while held', async () => {
    const smi = installTwoServersSmi({ [CAPTURED.serverAChild]: 4242, [CAPTURED.serverB]: 4343 });
    const poller = new ProcessVramPoller({ env: smi.env, intervalMs: 100 });
    try {
      const hold = poller.acquire();
      await poller.ready();
      while (poller.between(0, Date.now()).length < 2) await new Promise((r) => setTimeout(r, 50));
      hold.dispose();
      const snaps = poller.between(0, Date.now());
      assert.deepEqual(snaps[0]!.apps.map((a) => [a.pid, a.memMiB]), [[4343, 1718], [4242, 3518]]);
      assert.equal(poller.problem, undefined);
      const n = poller.between(0, Date.now()).length;
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(poller.between(0, Date.now()).length, n, 'no polling once released (a poll in flight is dropped)');
    } finally {
      smi.cleanup();
    }
  });

  it('reports a problem, not numbers, when nvidia-smi is missing', async () => {
    const poller = new ProcessVramPoller({ env: { PATH: '/nonexistent' } });
    const hold = poller.acquire();
    await poller.ready();
    hold.dispose();
    assert.match(poller.problem!, /nvidia-smi is not on PATH/);
    assert.equal(poller.latest(), undefined);
  });
});
