// What keeps the engine a service for local programs only. A web page the user visits can
// send "simple" cross-origin requests (text/plain POSTs need no CORS preflight), and with
// DNS rebinding it can even read the answers through a name that resolves to 127.0.0.1.
// So: JSON bodies only, Host must be a loopback name or address (or the address the
// engine was told to bind), and any Origin that is not the engine itself is refused.
import type * as http from 'node:http';
import * as net from 'node:net';
import { ApiError } from './apiError';

/** A hostname (no port, no brackets) that always means this machine. */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** `host[:port]` or `[v6]:port` -> hostname without brackets; undefined when unparsable. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

export interface LocalGuardOptions {
  /** The address the server was bound to: a non-loopback bind (a GPU box reached by its IP) also accepts it as Host. */
  bindHost?: string | undefined;
}

/** Throws ApiError 403 for a foreign Host or Origin. */
export function checkCaller(req: http.IncomingMessage, opts: LocalGuardOptions = {}): void {
  const allowed = (hostname: string): boolean => {
    if (isLoopback(hostname)) return true;
    const bind = opts.bindHost?.replace(/^\[|\]$/g, '').toLowerCase();
    if (!bind) return false;
    // Bound to all interfaces: any IP literal is fine (rebinding needs a DNS name).
    if (bind === '0.0.0.0' || bind === '::') return net.isIP(hostname) !== 0;
    return hostname.toLowerCase() === bind;
  };
  const host = req.headers.host;
  const hostname = host === undefined ? undefined : hostnameOf(host);
  if (hostname === undefined || !allowed(hostname)) {
    throw new ApiError(403, `Host "${host ?? ''}" is not allowed: the engine answers only requests addressed to localhost or a loopback address (this blocks DNS rebinding). Use http://127.0.0.1:PORT.`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    // Browsers send Origin; local programs (the extension, the CLI, curl) do not. The one
    // origin allowed is the engine's own (it serves no pages, so in practice none).
    let same = false;
    try {
      same = new URL(origin).host.toLowerCase() === host!.toLowerCase();
    } catch {
      same = false;
    }
    if (!same) throw new ApiError(403, `Origin "${origin}" is not allowed: the engine does not answer web pages. Call it from a local program (the editor, the CLI, curl).`);
  }
}

/** Throws ApiError 415 unless the body is declared JSON (text/plain would skip CORS preflight). */
export function checkJsonBody(req: http.IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, `Content-Type must be application/json, got "${req.headers['content-type'] ?? 'none'}".`);
  }
}
