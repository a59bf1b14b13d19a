// /metrics parsing on small real-looking texts. Metric names and HELP lines are vLLM's own
// (vllm/v1/metrics/loggers.py: PrometheusStatLogger; served by prometheus_client, hence the
// `_created` series and float values) and llama.cpp's (tools/server README, "GET /metrics").
import * as assert from 'node:assert/strict';
import { parsePrometheus } from '../../src/core/server/prometheus';
import { readServerMetrics, windowDelta } from '../../src/core/server/serverMetrics';

function vllmText(o: { gen: number; prompt: number; ttftCount: number; ttftSum: number; model?: string }): string {
  const m = o.model ?? 'qwen-1.5b';
  const l = `model_name="${m}",engine="0"`;
  return `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{${l}} 2.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{${l}} 1.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{${l}} 0.0625
# HELP vllm:prefix_cache_queries_total Prefix cache queries, in terms of number of queried tokens.
# TYPE vllm:prefix_cache_queries_total counter
vllm:prefix_cache_queries_total{${l}} 4000.0
# HELP vllm:prefix_cache_queries_created Prefix cache queries, in terms of number of queried tokens.
# TYPE vllm:prefix_cache_queries_created gauge
vllm:prefix_cache_queries_created{${l}} 1.7632e+09
# HELP vllm:prefix_cache_hits_total Prefix cache hits, in terms of number of cached tokens.
# TYPE vllm:prefix_cache_hits_total counter
vllm:prefix_cache_hits_total{${l}} 1000.0
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{${l}} ${o.prompt}.0
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{${l}} ${o.gen}.0
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{${l},le="0.001"} 0.0
vllm:time_to_first_token_seconds_bucket{${l},le="0.1"} ${o.ttftCount - 1}.0
vllm:time_to_first_token_seconds_bucket{${l},le="0.25"} ${o.ttftCount}.0
vllm:time_to_first_token_seconds_bucket{${l},le="+Inf"} ${o.ttftCount}.0
vllm:time_to_first_token_seconds_count{${l}} ${o.ttftCount}.0
vllm:time_to_first_token_seconds_sum{${l}} ${o.ttftSum}
# HELP vllm:time_to_first_token_seconds_created Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds_created gauge
vllm:time_to_first_token_seconds_created{${l}} 1.7632e+09
# HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.
# TYPE vllm:inter_token_latency_seconds histogram
vllm:inter_token_latency_seconds_bucket{${l},le="0.01"} 300.0
vllm:inter_token_latency_seconds_bucket{${l},le="+Inf"} 400.0
vllm:inter_token_latency_seconds_count{${l}} 400.0
vllm:inter_token_latency_seconds_sum{${l}} 3.2
# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{${l},le="0.3"} 2.0
vllm:e2e_request_latency_seconds_bucket{${l},le="+Inf"} ${o.ttftCount}.0
vllm:e2e_request_latency_seconds_count{${l}} ${o.ttftCount}.0
vllm:e2e_request_latency_seconds_sum{${l}} 5.5
`;
}

// vLLM before 0.10: gpu_cache_usage_perc, gpu_prefix_cache_*, time_per_output_token_seconds.
const olderVllm = `# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:gpu_cache_usage_perc gauge
vllm:gpu_cache_usage_perc{model_name="old",engine="0"} 0.5
# HELP vllm:gpu_prefix_cache_queries_total GPU prefix cache queries, in terms of number of queried tokens.
# TYPE vllm:gpu_prefix_cache_queries_total counter
vllm:gpu_prefix_cache_queries_total{model_name="old",engine="0"} 200.0
# HELP vllm:gpu_prefix_cache_hits_total GPU prefix cache hits, in terms of number of cached tokens.
# TYPE vllm:gpu_prefix_cache_hits_total counter
vllm:gpu_prefix_cache_hits_total{model_name="old",engine="0"} 50.0
# HELP vllm:time_per_output_token_seconds Histogram of time per output token in seconds.
# TYPE vllm:time_per_output_token_seconds histogram
vllm:time_per_output_token_seconds_bucket{model_name="old",engine="0",le="0.01"} 1.0
vllm:time_per_output_token_seconds_bucket{model_name="old",engine="0",le="+Inf"} 4.0
vllm:time_per_output_token_seconds_count{model_name="old",engine="0"} 4.0
vllm:time_per_output_token_seconds_sum{model_name="old",engine="0"} 0.08
`;

// llama-server --metrics (names and HELP text as in llama.cpp's server README / handle_metrics).
const llamaServer = `# HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
# TYPE llamacpp:prompt_tokens_total counter
llamacpp:prompt_tokens_total 6886
# HELP llamacpp:prompt_seconds_total Prompt process time
# TYPE llamacpp:prompt_seconds_total counter
llamacpp:prompt_seconds_total 2903.63
# HELP llamacpp:tokens_predicted_total Number of generation tokens processed.
# TYPE llamacpp:tokens_predicted_total counter
llamacpp:tokens_predicted_total 3469
# HELP llamacpp:kv_cache_usage_ratio KV-cache usage. 1 means 100 percent usage.
# TYPE llamacpp:kv_cache_usage_ratio gauge
llamacpp:kv_cache_usage_ratio 0.25
# HELP llamacpp:requests_processing Number of requests processing.
# TYPE llamacpp:requests_processing gauge
llamacpp:requests_processing 1
# HELP llamacpp:requests_deferred Number of requests deferred.
# TYPE llamacpp:requests_deferred gauge
llamacpp:requests_deferred 0
`;

describe('server /metrics', () => {
  it('keeps histogram labels, _sum and _count (the parser package alone drops them)', () => {
    const samples = parsePrometheus(vllmText({ gen: 1, prompt: 1, ttftCount: 3, ttftSum: 0.3 }));
    const sum = samples.find((s) => s.name === 'vllm:time_to_first_token_seconds_sum');
    assert.deepEqual(sum, { name: 'vllm:time_to_first_token_seconds_sum', labels: { model_name: 'qwen-1.5b', engine: '0' }, value: 0.3 });
    const inf = samples.find((s) => s.name === 'vllm:time_to_first_token_seconds_bucket' && s.labels['le'] === '+Inf');
    assert.equal(inf!.value, 3);
  });

  it('reads current vLLM names', () => {
    const m = readServerMetrics(vllmText({ gen: 1000, prompt: 5000, ttftCount: 10, ttftSum: 0.5 }));
    assert.equal(m.kind, 'vllm');
    assert.deepEqual(m.models, ['qwen-1.5b']);
    assert.equal(m.kvCacheUsage, 0.0625);
    assert.equal(m.requestsRunning, 2);
    assert.equal(m.requestsWaiting, 1);
    assert.equal(m.prefixCacheHitRate, 0.25);
    assert.equal(m.promptTokens, 5000);
    assert.equal(m.generationTokens, 1000);
    assert.equal(m.ttft!.count, 10);
    assert.equal(m.ttft!.sum, 0.5);
    assert.deepEqual(m.ttft!.buckets, [
      { le: 0.001, count: 0 },
      { le: 0.1, count: 9 },
      { le: 0.25, count: 10 },
      { le: Infinity, count: 10 },
    ]);
    assert.equal(m.interToken!.count, 400);
    assert.equal(m.e2e!.sum, 5.5);
  });

  it('reads older vLLM names', () => {
    const m = readServerMetrics(olderVllm);
    assert.equal(m.kvCacheUsage, 0.5);
    assert.equal(m.prefixCacheHitRate, 0.25);
    assert.equal(m.interToken!.count, 4);
    assert.equal(m.interToken!.sum, 0.08);
  });

  it('sums over label sets, or keeps one model with modelName', () => {
    const two = vllmText({ gen: 100, prompt: 10, ttftCount: 2, ttftSum: 0.2, model: 'a' }) + vllmText({ gen: 300, prompt: 30, ttftCount: 4, ttftSum: 0.6, model: 'b' }).replace(/^# .*\n/gm, '');
    const all = readServerMetrics(two);
    assert.deepEqual(all.models, ['a', 'b']);
    assert.equal(all.generationTokens, 400);
    assert.equal(all.ttft!.count, 6);
    assert.equal(all.ttft!.buckets.find((b) => b.le === 0.1)!.count, 1 + 3);
    const b = readServerMetrics(two, { modelName: 'b' });
    assert.equal(b.generationTokens, 300);
    assert.equal(b.ttft!.sum, 0.6);
  });

  it("reads llama-server's names", () => {
    const m = readServerMetrics(llamaServer);
    assert.equal(m.kind, 'llama.cpp');
    assert.equal(m.promptTokens, 6886);
    assert.equal(m.generationTokens, 3469);
    assert.equal(m.requestsRunning, 1);
    assert.equal(m.requestsWaiting, 0);
    assert.equal(m.kvCacheUsage, 0.25);
    assert.equal(m.ttft, undefined);
  });

  it('windowDelta: server-side mean TTFT and generation tokens/s between two scrapes', () => {
    const prev = readServerMetrics(vllmText({ gen: 1000, prompt: 5000, ttftCount: 10, ttftSum: 0.5 }), { ts: 10_000 });
    const cur = readServerMetrics(vllmText({ gen: 1400, prompt: 5600, ttftCount: 14, ttftSum: 0.9 }), { ts: 12_000 });
    const w = windowDelta(prev, cur);
    assert.equal(w.seconds, 2);
    assert.equal(w.requests, 4);
    assert.ok(Math.abs(w.meanTtftMs! - 100) < 1e-9, String(w.meanTtftMs)); // 0.4 s / 4
    assert.equal(w.generationTokens, 400);
    assert.equal(w.generationTokensPerSec, 200);
    assert.equal(w.promptTokensPerSec, 300);
    // A restart between scrapes (counters went down) is flagged, not turned into negative rates.
    const after = readServerMetrics(vllmText({ gen: 5, prompt: 5, ttftCount: 1, ttftSum: 0.1 }), { ts: 14_000 });
    assert.deepEqual(windowDelta(cur, after), { seconds: 2, reset: true });
    // A histogram first printed after its first observation counts from zero.
    const empty = readServerMetrics('# TYPE vllm:generation_tokens_total counter\nvllm:generation_tokens_total 0\n', { ts: 10_000 });
    const first = windowDelta(empty, prev);
    assert.equal(first.requests, 10);
    assert.ok(Math.abs(first.meanTtftMs! - 50) < 1e-9);
  });

  it('keeps the last sample when the text has no final newline', () => {
    assert.equal(readServerMetrics(llamaServer.trimEnd()).requestsWaiting, 0);
    assert.deepEqual(parsePrometheus('a 1\nb 2').map((s) => s.value), [1, 2]);
  });

  it('rejects text that is not Prometheus format', () => {
    assert.throws(() => readServerMetrics('<html>not metrics</html>'));
  });
});
