// An API key belongs to the endpoint origin it was saved for (scheme, host and port): a
// profile that names the same key under another endpoint gets nothing. Pure: the secret's
// stored form and the decision; secret storage itself is the extension's.

/** What secret storage holds for one key name. */
export interface BoundKey {
  origin: string;
  key: string;
}

export type KeyLookup =
  | { kind: 'none' }
  | { kind: 'key'; key: string }
  /** Saved for another origin: not sent. */
  | { kind: 'other-origin'; boundTo: string; asked: string }
  /** Saved before keys were bound to an origin: used only once the user binds it. */
  | { kind: 'unbound'; key: string; asked: string }
  /** The profile's endpoint is not a URL: no origin, no key. */
  | { kind: 'bad-endpoint'; endpoint: string };

/** `http://Host:80/v1` -> `http://host`; undefined for what is not an http(s) URL. */
export function endpointOrigin(endpoint: string): string | undefined {
  try {
    const u = new URL(endpoint);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function encodeBoundKey(b: BoundKey): string {
  return JSON.stringify({ origin: b.origin, key: b.key });
}

/** The stored form, or `{legacy}` for a bare key saved by an older version. */
export function decodeStored(raw: string | undefined): BoundKey | { legacy: string } | undefined {
  if (!raw) return undefined;
  if (raw.startsWith('{')) {
    try {
      const v = JSON.parse(raw) as Partial<BoundKey>;
      if (typeof v.origin === 'string' && typeof v.key === 'string' && v.key) return { origin: v.origin, key: v.key };
    } catch {
      // A legacy key that happens to start with "{": treated as unbound below.
    }
  }
  return { legacy: raw };
}

/** Which key, if any, may go to `endpoint`. */
export function lookupKey(raw: string | undefined, endpoint: string): KeyLookup {
  const stored = decodeStored(raw);
  if (!stored) return { kind: 'none' };
  const asked = endpointOrigin(endpoint);
  if (!asked) return { kind: 'bad-endpoint', endpoint };
  if ('legacy' in stored) return { kind: 'unbound', key: stored.legacy, asked };
  return stored.origin === asked ? { kind: 'key', key: stored.key } : { kind: 'other-origin', boundTo: stored.origin, asked };
}
