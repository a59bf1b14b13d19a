// The `completion-lab` CLI: the same core as the extension, without VS Code. Each
// subcommand lives in its own file. (Heavy parts, node-llama-cpp above all, are loaded
// inside the command that needs them, so `probe` or `gpu` never pay for them.)

import * as l10n from '@vscode/l10n';
import * as compare from './commands/compare';
import * as complete from './commands/complete';
import * as gpu from './commands/gpu';
import * as probe from './commands/probe';
import * as serve from './commands/serve';
import * as tinyModel from './commands/tinyModel';
import { useTerminalLanguage } from './language';
import { CliUsageError } from './usage';

useTerminalLanguage();

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { summary: l10n.t('serve the embedded llama.cpp engine (OpenAI-compatible HTTP)'), load: async () => serve },
  complete: { summary: l10n.t('run one completion exactly as the editor would, print JSON'), load: async () => complete },
  compare: { summary: l10n.t('replay recorded traffic or a workspace sample against 2+ profiles, print the report'), load: async () => compare },
  probe: { summary: l10n.t('probe a server (/health, /v1/models, /version, /metrics), print JSON'), load: async () => probe },
  gpu: { summary: l10n.t('sample the GPU(s), one JSON line per sample'), load: async () => gpu },
  'tiny-model': { summary: l10n.t('write the tiny random-weight Qwen2 test model (GGUF)'), load: async () => tinyModel },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return [l10n.t('Usage: completion-lab <command> [options]'), '', l10n.t('Commands:'), ...rows, '', l10n.t('Run `completion-lab <command> --help` for its options.')].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`completion-lab: ${l10n.t('unknown command "{0}".', name)}\n\n${usage()}\n`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A user error is one line with what to do; anything else is a bug and keeps its stack.
    if (err instanceof CliUsageError) {
      process.stderr.write(`completion-lab: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`completion-lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
