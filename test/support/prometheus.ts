// Starts a real Prometheus (Debian's `prometheus` package) for tests: a free port, a generated
// config (scrape every second), a temporary storage folder, its own process group (stopped
// with the group, so nothing outlives the test), and waits on conditions read from its API
// (ready, targets up, a scrape after a given moment), never on fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOnPath } from '../../src/core/gpu/findTool';
import { PrometheusClient } from '../../src/core/prometheus/client';
import { waitForScrapesAfter } from '../../src/core/prometheus/scrapes';
import { unusedPort } from './ports';

/** The binary, or null: tests skip with PROMETHEUS_MISSING then. */
export function prometheusBinary(): string | null {
  if (fs.existsSync('/usr/bin/prometheus')) return '/usr/bin/prometheus';
  return findOnPath('prometheus');
}

export const PROMETHEUS_MISSING = 'skipped: no `prometheus` binary (install Debian\'s package: apt-get install -y prometheus)';

export interface ScrapeJob {
  job: string;
  /** host:port targets, each with its own extra labels (e.g. pod, namespace). */
  targets: { address: string; labels?: Record<string, string> }[];
  metricsPath?: string;
  /** Keep the target's own labels on a clash (what the GPU operator's ServiceMonitor does for dcgm-exporter). */
  honorLabels?: boolean;
}

export interface StartedPrometheus {
  url: string;
  client: PrometheusClient;
  pid: number;
  /** Resolves when every active target is up (throws with their errors after timeoutMs). */
  waitForTargetsUp(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once every target has been scraped at or after `epochMs`. */
  waitForScrapeAfter(epochMs: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, describe: () => Promise<string> | string = () => ''): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Prometheus: ${what} did not happen within ${timeoutMs} ms. ${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPrometheus(jobs: ScrapeJob[]): Promise<StartedPrometheus> {
  const bin = prometheusBinary();
  if (!bin) throw new Error(PROMETHEUS_MISSING);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-prometheus-'));
  // YAML is a superset of JSON: the config is written as JSON.
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: jobs.map((j) => ({
      job_name: j.job,
      ...(j.metricsPath ? { metrics_path: j.metricsPath } : {}),
      ...(j.honorLabels ? { honor_labels: true } : {}),
      static_configs: j.targets.map((t) => ({ targets: [t.address], labels: t.labels ?? {} })),
    })),
  };
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await unusedPort();
  const child: ChildProcess = spawn(
    bin,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const force = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(force);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await until('/-/ready', 30_000, async () => {
      if (child.exitCode !== null) throw new Error('exited');
      const res = await fetch(`${url}/-/ready`);
      return res.ok ? true : undefined;
    }, () => `stderr: ${stderr}`);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message} (exit ${child.exitCode ?? '-'}; stderr: ${stderr})`);
  }
  const client = new PrometheusClient(url);
  return {
    url,
    client,
    pid: child.pid!,
    async waitForTargetsUp(count, timeoutMs = 30_000) {
      await until(`${count} targets up`, timeoutMs, async () => {
        const t = await client.targets();
        return t.length === count && t.every((x) => x.health === 'up') ? true : undefined;
      }, async () => JSON.stringify((await client.targets().catch(() => [])).map((t) => ({ url: t.scrapeUrl, health: t.health, error: t.lastError }))));
    },
    async waitForScrapeAfter(epochMs, timeoutMs = 30_000) {
      if (!(await waitForScrapesAfter(client, epochMs, { timeoutMs, pollMs: 100 }))) throw new Error(`Prometheus: no scrape of every target after ${new Date(epochMs).toISOString()} within ${timeoutMs} ms`);
    },
    stop,
  };
}
