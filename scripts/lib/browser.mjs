// Headless Debian Chromium through playwright-core (from test-tools; never a downloaded
// browser), with a fresh profile per launch.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromiumPath, testToolsDir } from './paths.mjs';
import { makeTemp, removeTemp } from './workspace.mjs';

const requireFromTools = createRequire(path.join(testToolsDir, 'package.json'));

export function playwright() {
  return requireFromTools('playwright-core');
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A persistent context on a fresh temp profile; close() also removes the profile. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  const profile = makeTemp('chromium');
  const context = await playwright().chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      removeTemp(profile);
    },
  };
}

/**
 * Console message text as the page would print it: VS Code's log service prepends
 * `%c LEVEL` and a CSS argument; the rest is printf-style (mocha uses %s/%d).
 */
export async function consoleText(msg) {
  const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => undefined)));
  if (values.length === 0) return msg.text();
  let rest = values;
  if (typeof values[0] === 'string' && values[0].startsWith('%c')) {
    const styles = (values[0].match(/%c/g) ?? []).length;
    rest = values.slice(1 + styles);
  }
  if (rest.length === 0) return String(values[0]).replace(/%c/g, '').trim();
  return format(...rest);
}
