// buildContext over many inputs in one call, for runBounded(): one child process (and one
// tokenizer load) per batch instead of per input.
import { buildContext, type BuiltContext, type ContextInput } from '../../src/core/context';

export function buildMany(inputs: ContextInput[]): BuiltContext[] {
  return inputs.map((i) => buildContext(i));
}
