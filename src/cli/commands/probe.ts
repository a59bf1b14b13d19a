// `completion-lab probe URL`: what is serving there (health, models, version, kind,
// /metrics summary), as JSON. Exit 0 when reachable, 1 (and one line on stderr) when not.
import * as l10n from '@vscode/l10n';
import { probeServer } from '../../core/server/probe';
import { CliUsageError } from '../usage';

/** A function, not a constant: the terminal's language is loaded after this module. */
const help = (): string => l10n.t(`Usage: completion-lab probe URL [--timeout-ms N]

Asks URL's /health, /v1/models, /version and /metrics; prints
{url, reachable, health, models: [{id, maxModelLen, ownedBy, root}], version, kind, metrics, errors}.
Exit code 0 when the server answered, 1 when it could not be reached.`);

export async function run(args: string[]): Promise<number> {
  let url: string | undefined;
  let timeoutMs = 5000;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') {
      process.stdout.write(help() + '\n');
      return 0;
    } else if (a === '--timeout-ms' || a.startsWith('--timeout-ms=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      timeoutMs = Number(v);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new CliUsageError(`--timeout-ms must be a positive whole number, got "${v}".`);
    } else if (a.startsWith('-')) {
      throw new CliUsageError(`unknown option "${a}" for probe. Run \`completion-lab probe --help\`.`);
    } else if (url === undefined) {
      url = a;
    } else {
      throw new CliUsageError(`probe takes one URL, got "${url}" and "${a}".`);
    }
  }
  if (!url) throw new CliUsageError('probe needs the server URL, e.g. `completion-lab probe http://127.0.0.1:8000`.');
  if (!/^https?:\/\//i.test(url)) throw new CliUsageError(`"${url}" is not an http(s) URL, e.g. http://127.0.0.1:8000`);
  const result = await probeServer(url, { timeoutMs });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (!result.reachable) {
    process.stderr.write(`completion-lab probe: ${result.url} is unreachable (${result.errors[0] ?? 'no answer'}). Is the server running and is the port right?\n`);
    return 1;
  }
  return 0;
}
