// Which served model a request uses: one rule for the editor, the CLI and the comparison.
import * as assert from 'node:assert/strict';
import { ClientError } from '../../src/core/client/errors';
import { pickServedModel, type ServedModel } from '../../src/core/client/models';

const at = 'http://127.0.0.1:8000';
const qwen: ServedModel = { id: 'qwen', maxModelLen: 4096, root: 'Qwen/Qwen2.5-Coder-1.5B' };
const r1: ServedModel = { id: 'r1', maxModelLen: 8192 };

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof ClientError && err.kind === 'unknown-model' && message.test(err.message));
}

describe('pickServedModel', () => {
  it('the model asked for, with what the server says of it', () => {
    assert.deepEqual(pickServedModel([qwen, r1], 'r1', at, '--model'), r1);
  });

  it('no model asked for: the server\'s only one', () => {
    assert.deepEqual(pickServedModel([qwen], undefined, at, '--model'), qwen);
  });

  it('a name the server does not list: says what it serves and where to set the model', () => {
    refused(() => pickServedModel([qwen, r1], 'gpt-9', at, '"model" in profile "p"'), /does not serve "gpt-9"; it serves "qwen", "r1"\. Set "model" in profile "p" to one of them/);
  });

  it('several models and none asked for: asks to choose', () => {
    refused(() => pickServedModel([qwen, r1], undefined, at, '--model'), /serves 2 models \("qwen", "r1"\); set --model to one of them/);
  });

  it('a server that lists no models: a given name is used as is, no name is an error that says what to set', () => {
    assert.deepEqual(pickServedModel([], 'my-model', at, '--model'), { id: 'my-model' });
    refused(() => pickServedModel([], undefined, at, '--model'), /lists no models at \/v1\/models; set --model to the served model name/);
  });
});
