import * as assert from 'node:assert/strict';
import { apiUrl } from '../../src/core/client/endpoint';
import { fromHttpError, parseErrorBody } from '../../src/core/client/errorMapping';
import { requestBody } from '../../src/core/client/stream';

describe('client request shape and error mapping', () => {
  it('builds /v1 URLs from a base with or without /v1 and trailing slashes', () => {
    for (const base of ['http://h:8000', 'http://h:8000/', 'http://h:8000/v1', 'http://h:8000/v1/', ' http://h:8000/v1// ']) {
      assert.equal(apiUrl(base, 'completions').href, 'http://h:8000/v1/completions', base);
    }
    assert.equal(apiUrl('https://gpu.example/proxy/', 'models').href, 'https://gpu.example/proxy/v1/models');
  });

  it('sends max_tokens and stream options, leaves out undefined fields and never suffix', () => {
    const body = requestBody({ endpoint: 'http://h', model: 'm', prompt: 'p', maxTokens: 16, temperature: 0 });
    assert.deepEqual(body, { model: 'm', prompt: 'p', max_tokens: 16, temperature: 0, stream: true, stream_options: { include_usage: true } });
    assert.ok(!('suffix' in body));
  });

  it('reads both of vLLM error shapes and non-JSON bodies', () => {
    assert.deepEqual(parseErrorBody('{"error":{"message":"bad","type":"BadRequestError","param":"input_tokens","code":400}}'), { message: 'bad', type: 'BadRequestError', param: 'input_tokens', code: 400 });
    assert.deepEqual(parseErrorBody('{"object":"error","message":"old","type":"NotFoundError","param":null,"code":404}'), { message: 'old', type: 'NotFoundError', code: 404 });
    const html = `<html>${'x'.repeat(500)}</html>`;
    assert.equal(parseErrorBody(html).message, `${html.slice(0, 200)}…`);
  });

  it('maps statuses to kinds with messages that say what to do', () => {
    assert.equal(fromHttpError(400, '{"error":{"message":"too long","param":"input_tokens"}}', 'http://h:1').kind, 'prompt-too-long');
    assert.equal(fromHttpError(400, '{"object":"error","message":"This model\'s maximum context length is 2048 tokens."}', 'http://h:1').kind, 'prompt-too-long');
    assert.equal(fromHttpError(400, '{"error":{"message":"suffix is not supported"}}', 'http://h:1').kind, 'http');
    const notFound = fromHttpError(404, '{"error":{"message":"The model `x` does not exist."}}', 'http://h:1', 'x');
    assert.equal(notFound.kind, 'unknown-model');
    assert.match(notFound.message, /model "x".*\/v1\/models/);
    assert.equal(fromHttpError(401, '{"error":"Unauthorized"}', 'http://h:1').kind, 'unauthorized');
    assert.equal(fromHttpError(403, '', 'http://h:1').kind, 'unauthorized');
    const e500 = fromHttpError(500, '{"error":{"message":"EngineCore died"}}', 'http://h:1');
    assert.equal(e500.kind, 'http');
    assert.match(e500.message, /HTTP 500: EngineCore died/);
    assert.equal(e500.details.status, 500);
  });
});
