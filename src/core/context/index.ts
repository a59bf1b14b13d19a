// Prompt building: the code around the cursor cut to a token budget, in a template.
export { buildContext, promptLimit, ContextError, SAFETY_MARGIN_TOKENS, SUFFIX_SHARE, type BuiltContext, type ContextInput } from './buildContext';
export { lineStartAt, lineEndAt } from './lines';
export { countTokens, countLineTokens, decode, encode, lineCacheBytes, tokenizedChars, vocabularySize, warmTokenizer } from './tokenizer';
export { countWithin, fitTokens, MAX_CHARS_PER_TOKEN } from './fit';
export { renderPrompt, usesSuffix, checkTemplate, TemplateError, QWEN_FIM_MIDDLE, QWEN_FIM_PREFIX, QWEN_FIM_SUFFIX, type TemplateSpec } from './templates';
export { rankSnippets, type ContextSnippet, type SnippetSource } from './snippets';
export { importCandidates } from './imports';
export { fitSnippets, frameFor, lineComment, QWEN_FILE_SEP, QWEN_REPO_NAME, type OtherFilesInput, type OtherFilesStyle } from './otherFiles';
