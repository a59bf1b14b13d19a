// GGUF metadata of a Qwen2-architecture model with the real Qwen tokenizer: shared by the
// tiny random-weight test model and the export of the trained code model.
import { GgufValue, f32, str, u32 } from './ggufWriter';
import { QwenVocab, qwenTokenizerMetadata } from './qwenVocab';

export interface Qwen2Shape {
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  contextLength: number;
  ropeFreqBase: number;
  rmsEps: number;
}

export function qwen2Metadata(shape: Qwen2Shape, vocab: QwenVocab, general: { name: string; description: string; fileType: number }): Record<string, GgufValue> {
  return {
    'general.architecture': str('qwen2'),
    'general.name': str(general.name),
    'general.description': str(general.description),
    'general.file_type': u32(general.fileType),
    'general.alignment': u32(32),
    'qwen2.context_length': u32(shape.contextLength),
    'qwen2.embedding_length': u32(shape.hidden),
    'qwen2.block_count': u32(shape.layers),
    'qwen2.feed_forward_length': u32(shape.ffn),
    'qwen2.attention.head_count': u32(shape.heads),
    'qwen2.attention.head_count_kv': u32(shape.kvHeads),
    'qwen2.rope.freq_base': f32(shape.ropeFreqBase),
    'qwen2.attention.layer_norm_rms_epsilon': f32(shape.rmsEps),
    ...qwenTokenizerMetadata(vocab),
  };
}
