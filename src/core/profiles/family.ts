// Which model family a served model belongs to, from its names alone: the `/v1/models` id
// (often a short --served-model-name like "r1") and vLLM's `root` (the checkpoint path).
import type { ServedModel } from '../client/models';
import type { ModelFamily } from './types';

export interface FamilyInfo {
  family: ModelFamily;
  /** Instruct/chat fine-tunes complete raw code poorly through /v1/completions. */
  instruct: boolean;
  /** The name the family was recognised from (root or id). */
  matchedName?: string;
}

/** Qwen2.5 FIM special tokens and the end tokens; ids as in Qwen2/2.5's vocabulary. */
export const QWEN_STOP_TOKEN_IDS: readonly number[] = [151643, 151645, 151659, 151660, 151661, 151662, 151663, 151664];
export const QWEN_STOP_STRINGS: readonly string[] = [
  '<|endoftext|>',
  '<|im_end|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|fim_pad|>',
  '<|repo_name|>',
  '<|file_sep|>',
];

function familyOfName(name: string): ModelFamily {
  // R1 distills are checked first: their names contain "Qwen" too.
  if (/deepseek[-_ ]?r1[-_ ]?distill/i.test(name)) return 'deepseek-r1-distill';
  if (/qwen2(\.5)?([^0-9]|$)/i.test(name)) return 'qwen';
  return 'unknown';
}

const INSTRUCT = /(instruct|[-_.]chat\b|[-_]it$)/i;

export function detectFamily(served: ServedModel | string): FamilyInfo {
  const info = typeof served === 'string' ? { id: served } : served;
  // root is the checkpoint; a served name may be an alias that says nothing.
  const names = [info.root, info.id].filter((n): n is string => typeof n === 'string' && n.length > 0);
  for (const name of names) {
    const family = familyOfName(name);
    if (family !== 'unknown') return { family, instruct: INSTRUCT.test(name), matchedName: name };
  }
  return { family: 'unknown', instruct: names.some((n) => INSTRUCT.test(n)) };
}
