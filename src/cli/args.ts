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
