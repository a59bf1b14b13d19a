// A TCP router in front of several real engines: each new connection goes to the next backend
// in turn, as a round-robin load balancer in front of vLLM replicas does, so a comparison can
// be run against one "routed endpoint" whose requests land on different replicas.
import * as net from 'node:net';

export interface Router {
  url: string;
  close(): Promise<void>;
}

export async function startRoundRobinRouter(backends: string[]): Promise<Router> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const target = new URL(backends[next++ % backends.length]!);
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
