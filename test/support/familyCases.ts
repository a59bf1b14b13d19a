// Model families by real checkpoint id, shared by the unit and the engine tests.
/** Real checkpoint ids (Hugging Face) -> family, how its prompt opens, template 'auto' picks, prompt for prefix "P" / suffix "S", a stop string. */
export const FAMILY_CASES = [
  { id: 'bigcode/starcoder2-3b', family: 'starcoder2', opens: '<fim_prefix>', template: 'starcoder2-fim', prompt: '<fim_prefix>P<fim_suffix>S<fim_middle>', stop: '<file_sep>' },
  { id: 'deepseek-ai/deepseek-coder-1.3b-base', family: 'deepseek-coder', opens: '<｜fim▁begin｜>', template: 'deepseek-fim', prompt: '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>', stop: '<｜end▁of▁sentence｜>' },
  { id: 'deepseek-ai/DeepSeek-Coder-V2-Lite-Base', family: 'deepseek-coder', opens: '<｜fim▁begin｜>', template: 'deepseek-fim', prompt: '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>', stop: '<｜fim▁begin｜>' },
  { id: 'codellama/CodeLlama-7b-hf', family: 'codellama', opens: '<PRE> ', template: 'codellama-fim', prompt: '<PRE> P <SUF>S <MID>', stop: '<EOT>' },
  { id: 'mistralai/Codestral-22B-v0.1', family: 'codestral', opens: '[SUFFIX]', template: 'codestral-fim', prompt: '[SUFFIX]S[PREFIX]P', stop: '[PREFIX]' },
  { id: 'google/codegemma-2b', family: 'codegemma', opens: '<|fim_prefix|>', template: 'codegemma-fim', prompt: '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>', stop: '<|file_separator|>' },
  { id: 'Qwen/Qwen2.5-Coder-1.5B', family: 'qwen', opens: '<|fim_prefix|>', template: 'qwen-fim', prompt: '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>', stop: '<|fim_pad|>' },
] as const;
