// Which model family a served model belongs to, from its names alone: the `/v1/models` id
// (often a short --served-model-name like "r1") and vLLM's `root` (the checkpoint path).
// Each family's FIM format and stop strings are those of its tokenizer_config.json / model
// card (the same as continue's and llama.vscode's templates).
import type { ServedModel } from '../client/models';
import type { FimKind, ModelFamily } from './types';

export interface FamilyInfo {
  family: ModelFamily;
  /** Instruct/chat fine-tunes complete raw code poorly through /v1/completions. */
  instruct: boolean;
  /** The FIM format the model was trained for, if any (Qwen: the Coder models only). */
  fim?: FimKind;
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

/** Stop strings per FIM format: its own special tokens and the model's end of text. */
export const FIM_STOP_STRINGS: Readonly<Record<FimKind, readonly string[]>> = {
  'qwen-fim': QWEN_STOP_STRINGS,
  'starcoder2-fim': ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>', '<repo_name>'],
  'deepseek-fim': ['<｜end▁of▁sentence｜>', '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<|EOT|>'],
  'codellama-fim': ['<EOT>', '</s>', '<PRE>', '<SUF>', '<MID>'],
  'codestral-fim': ['</s>', '[PREFIX]', '[SUFFIX]'],
  'codegemma-fim': ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<eos>'],
};

interface FamilyRule {
  family: ModelFamily;
  test: RegExp;
  /** FIM format, or a function of the name when only some models of the family have it. */
  fim?: FimKind | ((name: string) => FimKind | undefined);
}

// Order matters: R1 distills name Qwen too; DeepSeek-Coder before any generic DeepSeek.
const RULES: readonly FamilyRule[] = [
  { family: 'deepseek-r1-distill', test: /deepseek[-_ ]?r1[-_ ]?distill/i },
  { family: 'deepseek-coder', test: /deepseek[-_ ]?coder/i, fim: 'deepseek-fim' },
  { family: 'starcoder2', test: /starcoder2/i, fim: 'starcoder2-fim' },
  { family: 'codellama', test: /code[-_ ]?llama/i, fim: 'codellama-fim' },
  { family: 'codestral', test: /codestral/i, fim: 'codestral-fim' },
  { family: 'codegemma', test: /codegemma/i, fim: 'codegemma-fim' },
  // This project's bundled model: Qwen2 architecture and vocabulary, trained with Qwen's FIM
  // format (training/MODEL_CARD.md). Before the generic Qwen rule, which would call it base.
  { family: 'qwen', test: /completion-lab-coder/i, fim: 'qwen-fim' },
  // Qwen documents FIM for the Coder models; base, Math, Qwen1.5 and Qwen3 get prefix-only unless chosen.
  { family: 'qwen', test: /qwen(1\.5|2(\.5)?|3)?([^0-9.]|$)/i, fim: (name) => (/coder/i.test(name) ? 'qwen-fim' : undefined) },
];

const INSTRUCT = /(instruct|[-_.]chat\b|[-_]it$)/i;

export function detectFamily(served: ServedModel | string): FamilyInfo {
  const info = typeof served === 'string' ? { id: served } : served;
  // root is the checkpoint; a served name may be an alias that says nothing.
  const names = [info.root, info.id].filter((n): n is string => typeof n === 'string' && n.length > 0);
  for (const name of names) {
    const rule = RULES.find((r) => r.test.test(name));
    if (!rule) continue;
    const fim = typeof rule.fim === 'function' ? rule.fim(name) : rule.fim;
    return { family: rule.family, instruct: INSTRUCT.test(name), matchedName: name, ...(fim ? { fim } : {}) };
  }
  return { family: 'unknown', instruct: names.some((n) => INSTRUCT.test(n)) };
}
