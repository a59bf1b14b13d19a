// The engine's /metrics, named like vLLM's (same names, `model_name` label) so one
// scraper reads both servers. prom-client, on a private Registry: the extension host
// may load other prom-client users, and the global registry would mix them in.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

// vLLM's own bucket boundaries, so histograms from both servers line up.
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
const E2E_BUCKETS = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0];

export interface MetricsSources {
  running(): number;
  waiting(): number;
  /** Fraction (0..1) of the KV cache holding tokens. */
  kvCacheUsage(): number;
}

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly labels: { model_name: string };
  readonly promptTokens: Counter<'model_name'>;
  readonly generationTokens: Counter<'model_name'>;
  readonly requestSuccess: Counter<'model_name' | 'finished_reason'>;
  readonly requestsAborted: Counter<'model_name'>;
  readonly requests: Counter<'model_name'>;
  readonly ttft: Histogram<'model_name'>;
  readonly interToken: Histogram<'model_name'>;
  readonly e2e: Histogram<'model_name'>;

  constructor(modelName: string, sources: MetricsSources) {
    this.labels = { model_name: modelName };
    const labels = this.labels;
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> => new Counter({ name, help, labelNames, registers });
    const histogram = (name: string, help: string, buckets: number[]): Histogram<'model_name'> => new Histogram({ name, help, buckets, labelNames: ['model_name'], registers });
    this.promptTokens = counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', ['model_name']);
    this.generationTokens = counter('vllm:generation_tokens_total', 'Number of generation tokens processed (counted as each is sampled).', ['model_name']);
    this.requestSuccess = counter('vllm:request_success_total', 'Count of finished requests.', ['model_name', 'finished_reason']);
    this.requestsAborted = counter('completion_lab:requests_aborted_total', 'Requests whose client went away before the end.', ['model_name']);
    this.requests = counter('completion_lab:requests_total', 'Completion requests received.', ['model_name']);
    this.ttft = histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', TTFT_BUCKETS);
    this.interToken = histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', ITL_BUCKETS);
    this.e2e = histogram('vllm:e2e_request_latency_seconds', 'Histogram of end to end request latency in seconds.', E2E_BUCKETS);
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['model_name'],
        registers,
        collect() {
          this.set(labels, read());
        },
      });
    };
    gauge('vllm:num_requests_running', 'Number of requests generating right now.', sources.running);
    gauge('vllm:num_requests_waiting', 'Number of requests waiting for a free sequence.', sources.waiting);
    gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', sources.kvCacheUsage);
    // Zero-valued series exist from the start, so a scraper sees the names before traffic.
    for (const c of [this.promptTokens, this.generationTokens, this.requestsAborted, this.requests]) c.inc(labels, 0);
    // Histograms too, as vLLM creates its labelled children at start-up: a series that first
    // appears with its first observation has no earlier sample, so Prometheus' rate() and
    // increase() cannot count that observation.
    for (const h of [this.ttft, this.interToken, this.e2e]) h.zero(labels);
  }

  get modelLabel(): { model_name: string } {
    return this.labels;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
