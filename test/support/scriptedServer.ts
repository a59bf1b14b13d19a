// A tiny scripted HTTP server on a raw socket, for BAD INPUT ONLY: torn SSE lines,
// invalid JSON, resets, stalls, error bodies. Everything a real engine can produce is
// tested against the real embedded engine instead.
import * as net from 'node:net';

export type Step =
  /** Write these bytes as one TCP write (Nagle is off, so writes stay separate). */
  | { write: string | Buffer }
  | { delay: number }
  /** Close our side cleanly (FIN). */
  | { end: true }
  /** Tear the connection down with a TCP RST. */
  | { reset: true }
  /** Do nothing more: the client has to give up by itself. */
  | { stall: true };

export interface ScriptedServer {
  url: string;
  /** How many complete requests arrived. */
  readonly requests: number;
  /** TCP connections accepted (a keep-alive client opens one for many requests). */
  readonly connections: number;
  /** Request line and headers of each request, as received. */
  readonly heads: string[];
  /** Bodies of the requests that arrived, parsed as JSON where they were JSON. */
  readonly bodies: unknown[];
  /** Resolves when the client closes a connection the script had not finished with. */
  clientClosed(): Promise<void>;
  close(): Promise<void>;
}

/** One script for every request, or one per request (by its 0-based number and head). */
export type Script = Step[] | ((request: number, head: string) => Step[]);

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const sockets = new Set<net.Socket>();
  const bodies: unknown[] = [];
  const heads: string[] = [];
  let requests = 0;
  let connections = 0;
  let closedWaiters: (() => void)[] = [];
  let clientClosedCount = 0;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    connections++;
    socket.setNoDelay(true);
    let scriptDone = false;
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('close', () => {
      sockets.delete(socket);
      if (started && !scriptDone) {
        clientClosedCount++;
        const waiters = closedWaiters;
        closedWaiters = [];
        waiters.forEach((w) => w());
      }
    });
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      if (started) return;
      buffer = Buffer.concat([buffer, data]);
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = buffer.subarray(0, headerEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length < headerEnd + 4 + length) return;
      started = true;
      requests++;
      heads.push(head);
      const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      try {
        bodies.push(JSON.parse(body));
      } catch {
        bodies.push(body);
      }
      const rest = buffer.subarray(headerEnd + 4 + length);
      void play(socket, typeof script === 'function' ? script(requests - 1, head) : script).then((completed) => {
        // Cut short by the client closing: leave `started` set so 'close' counts it.
        if (!completed) return;
        // A script that leaves the connection open serves the next request on it too
        // (keep-alive), so tests can see whether the client reuses connections.
        started = false;
        buffer = rest;
        if (socket.destroyed || socket.writableEnded) scriptDone = true;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    heads,
    bodies,
    clientClosed() {
      if (clientClosedCount > 0) return Promise.resolve();
      return new Promise<void>((resolve) => closedWaiters.push(resolve));
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves false when the socket was gone before the script ended. */
async function play(socket: net.Socket, script: Step[]): Promise<boolean> {
  for (const step of script) {
    if (socket.destroyed) return false;
    if ('write' in step) {
      await new Promise<void>((resolve) => socket.write(step.write, () => resolve()));
    } else if ('delay' in step) {
      await new Promise((resolve) => setTimeout(resolve, step.delay));
    } else if ('end' in step) {
      socket.end();
    } else if ('reset' in step) {
      socket.resetAndDestroy();
    } else {
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      return true;
    }
  }
  return true;
}

/** Status line and headers of a streamed SSE answer (no length: the body ends at close). */
export function sseHead(): string {
  return 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n';
}

/** One SSE event carrying this JSON (or raw string) as its data. */
export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** A vLLM-shaped completion chunk. */
export function textChunk(text: string, finishReason: string | null = null): unknown {
  return { id: 'cmpl-1', object: 'text_completion', created: 0, model: 'm', choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null }], usage: null };
}

export function usageChunk(promptTokens: number, completionTokens: number): unknown {
  return { id: 'cmpl-1', object: 'text_completion', created: 0, model: 'm', choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } };
}

/** A complete non-streamed answer with a body, then close (or, with keepAlive, stay open). */
export function httpAnswer(status: number, reason: string, body: string, contentType = 'application/json', keepAlive = false): Step[] {
  const head = `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
  return keepAlive ? [{ write: head + body }] : [{ write: head + body }, { end: true }];
}

/** Head of a chunked SSE answer, as uvicorn (vLLM) sends it. */
export function sseHeadChunked(keepAlive = false): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
}

/** One HTTP/1.1 chunk of a chunked body; '' is the terminating chunk. */
export function httpChunk(payload: string | Buffer): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}
