// Which local processes serve an endpoint: the process(es) listening on its port and all
// their descendants (vLLM's API server forks an engine-core process, and that child holds
// the GPU memory). Linux /proc only: /proc/net/tcp{,6} gives the listening socket's inode,
// /proc/PID/fd links name the process holding it, /proc/PID/stat gives each parent.
// Elsewhere (macOS, Windows, a remote endpoint) the answer says why there is none, so the
// caller shows "no per-process data" instead of the card's numbers as the model's.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ServerProcesses =
  | { kind: 'local'; port: number; listenerPids: number[]; pids: number[] }
  | { kind: 'none'; reason: string };

export interface SocketRow {
  localAddress: string;
  localPort: number;
  /** 0A = LISTEN. */
  state: string;
  inode: number;
}

const LISTEN = '0A';

/** Rows of /proc/net/tcp or /proc/net/tcp6 (the header line is skipped). */
export function parseProcNetTcp(text: string): SocketRow[] {
  const out: SocketRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < 10) continue;
    const [address, port] = cells[1]!.split(':');
    if (!address || !port) continue;
    out.push({ localAddress: address, localPort: parseInt(port, 16), state: cells[3]!, inode: Number(cells[9]) });
  }
  return out;
}

/** Inodes of the sockets listening on `port` (IPv4 and IPv6). */
export function listeningInodes(port: number, procRoot = '/proc'): Set<number> {
  const inodes = new Set<number>();
  for (const file of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(procRoot, 'net', file), 'utf8');
    } catch {
      continue; // no IPv6 on this host, or no /proc at all
    }
    for (const row of parseProcNetTcp(text)) if (row.localPort === port && row.state === LISTEN && row.inode > 0) inodes.add(row.inode);
  }
  return inodes;
}

function numericDirs(procRoot: string): number[] {
  try {
    return fs.readdirSync(procRoot).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

/** PIDs with an open fd on one of the socket inodes (other users' processes are unreadable unless root). */
export function pidsHoldingSockets(inodes: ReadonlySet<number>, procRoot = '/proc'): number[] {
  if (!inodes.size) return [];
  const out: number[] = [];
  for (const pid of numericDirs(procRoot)) {
    const fdDir = path.join(procRoot, String(pid), 'fd');
    let fds: string[];
    try {
      fds = fs.readdirSync(fdDir);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = fs.readlinkSync(path.join(fdDir, fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(Number(m[1]))) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** Parent PID from /proc/PID/stat (the command name in parentheses may hold spaces and parentheses). */
export function parentOf(statText: string): number | undefined {
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  const ppid = Number(statText.slice(close + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** The given PIDs and all their descendants, ascending. */
export function withDescendants(pids: readonly number[], procRoot = '/proc'): number[] {
  const children = new Map<number, number[]>();
  for (const pid of numericDirs(procRoot)) {
    let stat: string;
    try {
      stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    } catch {
      continue;
    }
    const ppid = parentOf(stat);
    if (ppid === undefined) continue;
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const seen = new Set<number>();
  const queue = [...pids];
  while (queue.length) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Whether a URL host names this machine: loopback, an unspecified address, or one of its interfaces. */
export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || h === '::' || /^127\./.test(h)) return true;
  if (h === os.hostname().toLowerCase()) return true;
  return Object.values(os.networkInterfaces()).some((list) => (list ?? []).some((i) => i.address.toLowerCase() === h));
}

function endpointPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** The local processes behind an endpoint URL, or why there are none to name. */
export function findServerProcesses(endpoint: string, procRoot = '/proc'): ServerProcesses {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { kind: 'none', reason: `${endpoint} is not a URL.` };
  }
  if (!isLocalHost(url.hostname)) return { kind: 'none', reason: `${url.host} is not this machine: its server's processes cannot be seen from here.` };
  if (!fs.existsSync(path.join(procRoot, 'net', 'tcp'))) return { kind: 'none', reason: `no ${procRoot}/net/tcp on this system: the server's process cannot be found (Linux only).` };
  const port = endpointPort(url);
  const inodes = listeningInodes(port, procRoot);
  if (!inodes.size) return { kind: 'none', reason: `nothing listens on port ${port} in this machine's network namespace (a container or a forwarded port?).` };
  const listenerPids = pidsHoldingSockets(inodes, procRoot);
  if (!listenerPids.length) return { kind: 'none', reason: `the process listening on port ${port} belongs to another user or namespace and cannot be read.` };
  return { kind: 'local', port, listenerPids, pids: withDescendants(listenerPids, procRoot) };
}
