// The active profile as one unit: its settings, its API key, the connection to its server
// and the scraper of the server's /metrics (sent the same key). A change of profile or key
// replaces the whole unit, so no part ever talks to one server with another's key.
import type { ModelProfile } from '../core/profiles';
import { MetricsScraper } from '../core/server/metricsScraper';
import type { ApiKeys } from './apiKeys';
import { config } from './config';
import { Disposable, DisposableValue } from './dispose';
import type { GpuWatch } from './gpuWatch';
import type { LiveStats } from './liveStats';
import { log } from './log';
import { ServerConnection } from './serverConnection';

const SCRAPE_INTERVAL_MS = 5000;

export interface ActiveProfileDeps {
  stats: LiveStats;
  keys: ApiKeys;
  watch: GpuWatch;
}

export class ActiveProfile extends Disposable {
  readonly connection: ServerConnection;
  private key: Promise<string | undefined> | undefined;
  private scraping = false;

  constructor(readonly profile: ModelProfile, private readonly deps: ActiveProfileDeps) {
    super();
    this.connection = new ServerConnection(profile, deps.stats, () => this.apiKey());
    deps.stats.setServer({ kind: 'unknown', endpoint: profile.endpoint });
    void this.connection.connect();
  }

  /**
   * The key saved for this profile, read once for the unit's life. A read the secret storage
   * failed (a locked keyring) is not kept: the connection backs off, and its next try reads again.
   */
  apiKey(): Promise<string | undefined> {
    if (!this.key) {
      const read = this.deps.keys.get(this.profile);
      this.key = read;
      read.then((apiKey) => {
        if (this.isDisposed || this.scraping) return;
        this.scraping = true;
        this.scrape(apiKey);
      }, () => {
        // Said by the connection (status bar and log, once per run of failures).
        if (this.key === read) this.key = undefined;
      });
    }
    return this.key;
  }

  /** The server's own /metrics, scraped while someone looks (as the GPU is sampled). */
  private scrape(apiKey: string | undefined): void {
    const { profile, deps } = this;
    const scraper = this.register(new MetricsScraper(profile.endpoint, {
      intervalMs: SCRAPE_INTERVAL_MS,
      ...(profile.model ? { modelName: profile.model } : {}),
      ...(apiKey ? { apiKey } : {}),
    }));
    let lastTtft: number | undefined;
    this.register(scraper.onScrape((m) => {
      const w = scraper.lastWindow();
      if (w?.meanTtftMs !== undefined) lastTtft = w.meanTtftMs;
      deps.stats.setMetrics({
        kvCacheUsagePct: m.kvCacheUsage !== undefined ? m.kvCacheUsage * 100 : undefined,
        running: m.requestsRunning,
        waiting: m.requestsWaiting,
        ttftMeanMs: lastTtft,
        genTokensPerSec: w?.generationTokensPerSec,
      });
    }));
    this.register(scraper.onError((msg) => log().info(`Server metrics: ${msg}`)));
    this.register(deps.watch.holdWhileWatched(scraper));
  }
}

/** Holds the active profile and builds a new one when the settings or the keys change. */
export class ActiveProfileHolder extends Disposable {
  private readonly unit = this.register(new DisposableValue<ActiveProfile>());

  constructor(private readonly deps: ActiveProfileDeps) {
    super();
    this.register(deps.keys.onDidChange(() => this.reload()));
    this.reload();
  }

  get current(): ActiveProfile | undefined {
    return this.unit.value;
  }

  reload(): void {
    const { profile, errors } = config.activeProfile();
    for (const e of errors) log().warn(e);
    this.unit.value = profile ? new ActiveProfile(profile, this.deps) : undefined;
    if (!profile) this.deps.stats.setServer({ kind: 'unknown' });
    log().info(`Active profile: ${profile ? `${profile.name} -> ${profile.endpoint} (model ${profile.model || 'server default'}, template ${profile.template})` : 'none'}; debounce ${config.debounce().minMs}-${config.debounce().maxMs} ms; context ${config.contextTokens()} tokens; source recording ${config.recording() ? 'on' : 'off'}.`);
  }
}
