// Starts code-server (VS Code's server build, from test-tools) with Node 24 first on PATH,
// detached in its own process group, on a fresh user-data-dir; stop() kills the group.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerBin, node24Bin, testToolsInstalled } from './paths.mjs';
import { spawnGroup, killGroup, freePort, waitForHttp, tailOf } from './processes.mjs';
import { cleanNpmEnv } from './testTools.mjs';

/**
 * @param {{workspace: string, userDataDir: string, extensionsDir: string, port?: number,
 *   smokeTestDriver?: boolean, env?: Record<string,string>, log?: boolean}} opts
 */
export async function startCodeServer(opts) {
  if (!testToolsInstalled()) throw new Error('code-server is not installed: run "bash test-tools/install.sh" (about 4 minutes).');
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(opts.userDataDir, { recursive: true });
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    opts.workspace,
  ];
  // npm's own variables would point code-server's node at the wrong prefix.
  const env = cleanNpmEnv({ ...process.env, ...opts.env, PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}` });
  const child = spawnGroup(codeServerBin, args, { env });
  const tail = tailOf(child.stdout);
  const errTail = tailOf(child.stderr);
  if (opts.log) {
    child.stdout.on('data', (d) => process.stdout.write(`[code-server] ${d}`));
    child.stderr.on('data', (d) => process.stderr.write(`[code-server] ${d}`));
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { child, what: 'code-server', timeoutMs: 60000 });
  } catch (err) {
    await killGroup(child);
    throw new Error(`${err.message}\n${tail()}\n${errTail()}`);
  }
  return { url, port, child, output: () => tail() + errTail(), stop: () => killGroup(child) };
}

/** vscode-remote URI of a folder on the code-server machine. */
export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath}`;
}

/** The workbench URL for a folder, optionally with a development extension + tests. */
export function workbenchUrl(port, folder, dev) {
  let url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  if (dev) {
    const payload = [['extensionDevelopmentPath', remoteUri(port, dev.extensionDevelopmentPath)]];
    if (dev.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(port, dev.extensionTestsPath)]);
    url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return url;
}
