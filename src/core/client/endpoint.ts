// Where a request goes: profiles give a base URL with or without `/v1` (and maybe a
// trailing slash); every caller builds API URLs the same way from it.

/** `s` without the slashes at its end (a loop, not `/\/+$/`, which is quadratic on a long run of slashes). */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

/** `http://h:8000`, `http://h:8000/`, `http://h:8000/v1/` -> `http://h:8000/v1/<path>`. */
export function apiUrl(endpoint: string, path: string): URL {
  let base = trimTrailingSlashes(endpoint.trim());
  if (!/\/v1$/.test(base)) base += '/v1';
  return new URL(`${base}/${path.replace(/^\/+/, '')}`);
}

/** The server root, where /health and /metrics live: `http://h:8000/v1/` -> `http://h:8000`. */
export function serverRoot(url: string): string {
  return trimTrailingSlashes(url.trim()).replace(/\/v1$/, '');
}

/** `http://host:port` for messages (no path, no credentials). */
export function origin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}
