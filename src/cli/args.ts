// Option parsing shared by the subcommands: node's own parseArgs, with its errors turned
// into one line that says where the help is (no stack, exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const first = (err as Error).message.split('\n')[0]!.replace(/\.?$/, '.');
    throw new CliUsageError(`${first} Run \`completion-lab ${command} --help\`.`);
  }
}

/** Options that take one string value each, by name (flags are checked by their command). */
export function stringOptions<K extends string>(...names: K[]): Record<K, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])) as Record<K, { type: 'string' }>;
}

/** Prints the command's help when `--help` was asked; true then, and the command ends with 0. */
export function showHelp<T>(parsed: T | 'help', help: string): parsed is 'help' {
  if (parsed !== 'help') return false;
  process.stdout.write(help + '\n');
  return true;
}
