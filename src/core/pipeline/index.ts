// One completion at a cursor, as the editor and the CLI both run it.
export { completeAt, resolveFor, type CompleteAtInput, type CompleteAtOutput, type CompletionClient, type ProfileOverrides, type ResolvedProfile } from './completeAt';
export { languageIdForFile } from './languageId';
export { offsetAt, type Position1 } from './position';
