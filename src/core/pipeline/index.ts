// One completion at a cursor, as the editor and the CLI both run it.
export { completeAt, effectiveFor, type CompleteAtInput, type CompleteAtOutput, type CompletionClient } from './completeAt';
export { languageIdForFile } from './languageId';
export { offsetAt, type Position1 } from './position';
