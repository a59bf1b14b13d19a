// A port on this machine that nothing listens on (a real refused connection) or that is
// free to bind: listen on port 0, note the port, close.
import * as net from 'node:net';

export async function unusedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
