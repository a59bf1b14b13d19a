// Model servers never outlive the program that started them: started under the launcher's
// guard, the real engine exits when its parent is killed with SIGKILL; a launch command
// that ignores SIGTERM is SIGKILLed after the grace period; a crashed engine is seen as stopped.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { launch, launchShell } from '../../src/core/server/launcher';
import { repoRoot } from '../support/engine';
import { alive } from '../support/processes';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const engineEnv = { ...process.env, COMPLETION_LAB_CACHE: path.join(repoRoot, '.test-cache') };

/** Polls until `cond` holds; the test's own timeout bounds the wait. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 100));
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: stream });
    lines.once('line', (l) => {
      resolve(l); // before close(), which emits 'close' at once
      lines.close();
    });
    lines.once('close', () => reject(new Error('stream ended before a line')));
  });
}

describe('launcher: servers never outlive their parent', function () {
  this.timeout(120_000);

  it('the real engine exits when the process that started it is killed with SIGKILL', async () => {
    // The parent: a Node process that starts the engine as the extension does, then idles.
    const launcherJs = path.join(repoRoot, 'out', 'src', 'core', 'server', 'launcher.js');
    const parentSrc = `
      const { launch } = require(${JSON.stringify(launcherJs)});
      const s = launch(process.execPath, [${JSON.stringify(cli)}, 'serve', '--tiny', '--port', '0'], { env: process.env });
      s.child.stdout.pipe(process.stdout);
      s.child.stderr.resume();
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentSrc], { env: engineEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = JSON.parse(await firstLine(parent.stdout!)) as { url: string; pid: number };
    assert.ok(alive(ready.pid));
    assert.equal((await fetch(`${ready.url}/health`)).status, 200);
    parent.kill('SIGKILL');
    await until(() => !alive(ready.pid));
    await assert.rejects(fetch(`${ready.url}/health`), 'nothing serves on the port any more');
  });

  it('a crashed engine is seen as stopped', async () => {
    const s = launch(process.execPath, [cli, 'serve', '--tiny', '--port', '0'], { env: engineEnv });
    s.child.stderr!.resume();
    const ready = JSON.parse(await firstLine(s.child.stdout!)) as { pid: number };
    assert.equal(s.running, true);
    process.kill(ready.pid, 'SIGKILL');
    const { code } = await s.exited;
    assert.equal(s.running, false);
    assert.notEqual(code, 0);
  });

  it('a launch command that ignores SIGTERM is stopped with SIGKILL after the grace period, its whole group', async () => {
    const s = launchShell(`trap '' TERM; (trap '' TERM; while :; do sleep 0.2; done) & echo "$!"; while :; do sleep 0.2; done`, { graceMs: 500 });
    const grandchild = Number(await firstLine(s.child.stdout!));
    assert.ok(alive(grandchild));
    await s.stop();
    await s.exited;
    assert.equal(s.running, false);
    assert.equal(alive(grandchild), false, 'the command\'s own children are gone too');
  });

  it('stops the rest of a group whose leader has already exited', async () => {
    const s = launchShell(`(trap '' TERM; while :; do sleep 0.2; done) & echo "$!"; exit 0`, { graceMs: 500 });
    const orphan = Number(await firstLine(s.child.stdout!));
    await s.exited;
    assert.ok(alive(orphan), 'the leader is gone but its child still runs');
    await s.stop();
    assert.equal(alive(orphan), false);
  });
});
