// Getting the test tools onto a fresh machine, the same way for `npm start` and `npm test`:
// first the Debian packages they need (checked in a second, before the ~4 minute install),
// then test-tools/install.sh in a clean npm environment.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromiumPath, repoRoot, testToolsInstalled } from './paths.mjs';
import { run } from './processes.mjs';

/** What the integration and e2e tiers (and `npm start`) need from the system, and why. */
const systemPackages = [
  // The browser playwright-core drives (never a downloaded one).
  { pkg: 'chromium', present: () => fs.existsSync(chromiumPath) || onPath('chromium') },
  // code-server's native module (kerberos) builds against its headers.
  { pkg: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/krb5.h') || fs.existsSync('/usr/include/gssapi/gssapi.h') },
  // The e2e tier unpacks the .vsix as VS Code lays it out.
  { pkg: 'unzip', present: () => onPath('unzip') },
  // The fleet tests run a real Prometheus that scrapes engines and a DCGM-format exporter.
  { pkg: 'prometheus', present: () => fs.existsSync('/usr/bin/prometheus') || onPath('prometheus') },
  // The e2e screenshot of the Chinese UI renders its glyphs (without a CJK font they are boxes).
  { pkg: 'fonts-noto-cjk', present: () => fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') },
];

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

function canSudo() {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment for a nested npm: the outer npm's variables removed. An inherited
 * npm_config_user_agent ("npm/… node/v20…") makes code-server's postinstall refuse Node 24,
 * and npm_config_prefix/globalconfig/… would point the nested install at the outer project.
 */
export function cleanNpmEnv(env = process.env) {
  const out = { ...env };
  for (const k of Object.keys(out)) if (/^npm_/i.test(k)) delete out[k];
  return out;
}

/**
 * Installs missing Debian packages where this user may (root, or passwordless sudo, as
 * Playwright's `install --with-deps` does); otherwise returns the one line that says
 * which command to run. Returns undefined when everything is there.
 */
export async function ensureSystemPackages() {
  const missing = systemPackages.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return undefined;
  const command = `sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const root = process.getuid?.() === 0;
  if (process.platform !== 'linux' || !onPath('apt-get') || (!root && !canSudo())) {
    return `Missing system packages: ${missing.join(', ')}. Install them with: ${command}`;
  }
  console.log(`Installing missing system packages: ${missing.join(' ')} (apt-get)...`);
  const sudo = root ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = async (...args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    return run(cmd, rest, { env, stdio: ['ignore', 'inherit', 'inherit'] });
  };
  if ((await apt('update', '-qq')) !== 0 || (await apt('install', '-y', '-qq', '--no-install-recommends', ...missing)) !== 0) {
    return `Installing ${missing.join(', ')} failed (see above). Install them with: ${command}`;
  }
  return undefined;
}

/** System packages, then Node 24 + code-server + playwright-core into test-tools/ (once). */
export async function ensureTestTools() {
  const problem = await ensureSystemPackages();
  if (problem) return problem;
  if (testToolsInstalled()) return undefined;
  console.log('Installing the test tools (Node 24, code-server, playwright-core) into test-tools/: the first run takes about 4 minutes...');
  const code = await run('bash', [path.join(repoRoot, 'test-tools', 'install.sh')], { cwd: repoRoot, env: cleanNpmEnv() });
  return code === 0 ? undefined : `Installing the test tools failed (exit ${code}, see above); it needs the npm registry. Retry with: bash test-tools/install.sh`;
}
