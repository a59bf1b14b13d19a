// `completion-lab tiny-model`: writes the tiny random-weight Qwen2 GGUF (real Qwen
// tokenizer) used by tests and the offline demo.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { writeTinyModel } from '../../core/testModel/tinyModel';
import { CliUsageError } from '../usage';
import { parseCommandArgs } from '../args';

/** A function, not a constant: the terminal's language is loaded after this module. */
const help = (): string => l10n.t(`Usage: completion-lab tiny-model --out FILE [--seed N] [--allow-eos] [--favor-token STR]

Writes a ~26 MB random-weight Qwen2 GGUF with the real Qwen tokenizer. By default its
end-of-text tokens are muted so generation always runs to max_tokens; --allow-eos keeps
them. --favor-token makes the model emit that token (e.g. "<think>").
`);

export async function run(args: string[]): Promise<number> {
  const values = parseCommandArgs('tiny-model', args, { out: { type: 'string' }, seed: { type: 'string' }, 'allow-eos': { type: 'boolean' }, 'favor-token': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  if (!values.out) throw new CliUsageError('--out FILE is required (where to write the .gguf).');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new CliUsageError(`--seed must be a non-negative integer, got "${values.seed}".`);
  const started = performance.now();
  let bytes: number;
  try {
    bytes = writeTinyModel(path.resolve(values.out), { seed, noEos: !values['allow-eos'], ...(values['favor-token'] !== undefined ? { favorToken: values['favor-token'] } : {}) });
  } catch (err) {
    throw new CliUsageError((err as Error).message, 1);
  }
  process.stdout.write(JSON.stringify({ file: path.resolve(values.out), bytes, ms: Math.round(performance.now() - started) }) + '\n');
  return 0;
}
