// probeServer when nothing answers: a closed port on this machine (a real refused connection).
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { probeServer, serverRoot } from '../../src/core/server/probe';
import { unusedPort } from '../support/ports';


describe('probeServer without a server', () => {
  it('connection refused is "unreachable", with the reason', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const r = await probeServer(url + '/v1/', { timeoutMs: 2000 });
    assert.equal(r.url, url);
    assert.equal(r.reachable, false);
    assert.equal(r.health, 'unreachable');
    assert.equal(r.kind, 'unknown');
    assert.deepEqual(r.models, []);
    assert.match(r.errors[0]!, /connection refused/);
  });

  it('connection refused while a launcher says it is starting is "loading"', async () => {
    const r = await probeServer(`http://127.0.0.1:${await unusedPort()}`, { timeoutMs: 2000, starting: true });
    assert.equal(r.health, 'loading');
    assert.equal(r.reachable, false);
  });

  it('a server that accepts but never answers times out as unreachable', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const r = await probeServer(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, { timeoutMs: 300 });
      assert.equal(r.health, 'unreachable');
      assert.match(r.errors[0]!, /no answer within 300 ms/);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });

  it('serverRoot strips /v1 and slashes', () => {
    assert.equal(serverRoot('http://h:8000/v1/'), 'http://h:8000');
    assert.equal(serverRoot('http://h:8000/'), 'http://h:8000');
  });
});
