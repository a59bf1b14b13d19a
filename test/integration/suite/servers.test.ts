// Starting and stopping model servers from the extension host: the embedded engine (run
// with the host's own runtime) and a profile's launch command, waited for on /health.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ServerManager } from '../../../src/extension/servers';
import { extension } from './util';
import { unusedPort } from '../../support/ports';
import { alive } from '../../support/processes';



async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('model servers', function () {
  this.timeout(120_000);
  const root = () => extension().extensionPath;

  it('a missing GGUF file: the embedded engine says which file and what to pass', async () => {
    const servers = new ServerManager(root());
    try {
      await assert.rejects(servers.startEmbedded('/nonexistent/model.gguf'), /GGUF file not found: \/nonexistent\/model\.gguf/);
      assert.equal(servers.servers.length, 0);
    } finally {
      servers.dispose();
    }
  });

  it("a profile's launch command is started, waited for on /health, and stopped with its process group", async () => {
    const servers = new ServerManager(root());
    try {
      const port = await unusedPort();
      const cli = path.join(root(), 'dist', 'cli.js');
      const command = `"${process.execPath}" "${cli}" serve --tiny --port ${port}`;
      const s = await servers.startLaunchCommand({ name: 'launched', endpoint: `http://127.0.0.1:${port}`, template: 'auto', launchCommand: command });
      const res = await fetch(`http://127.0.0.1:${port}/v1/models`);
      assert.equal(res.status, 200, 'the server answers once startLaunchCommand resolved');
      const pid = s.child.pid!;
      assert.equal(servers.stopAll(), 1);
      assert.ok(await gone(pid), 'the shell and the engine under it are gone');
      await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    } finally {
      servers.dispose();
    }
  });
});
