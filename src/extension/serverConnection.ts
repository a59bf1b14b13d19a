// What the active profile's server serves (model id, max_model_len), and whether it is
// reachable. Failures back off (1 s doubling to 30 s): while backing off the provider
// answers empty at once, so typing never waits on a dead server and no toast storm starts.
import * as l10n from '@vscode/l10n';
import { listModels, pickServedModel } from '../core/client/models';
import { ClientError } from '../core/client/errors';
import { resolveFor, type ResolvedProfile } from '../core/pipeline/completeAt';
import type { ModelProfile } from '../core/profiles';
import { errorText, log } from './log';
import type { LiveStats } from './liveStats';

const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/** The profile resolved against its server, once per connection. */
export interface Connected extends ResolvedProfile {
  profile: ModelProfile;
}

export class ServerConnection {
  private info: Connected | undefined;
  private pending: Promise<Connected | undefined> | undefined;
  private failures = 0;
  private retryAt = 0;
  private lastWarnings = '';

  constructor(
    private profile: ModelProfile,
    private readonly stats: LiveStats,
    private readonly apiKey: () => Promise<string | undefined>,
  ) {}

  get profileName(): string {
    return this.profile.name;
  }

  /** True while a recent failure says not to try yet. */
  get backingOff(): boolean {
    return Date.now() < this.retryAt;
  }

  /** The server's model and the effective settings, asking the server once. */
  async connect(): Promise<Connected | undefined> {
    if (this.info) return this.info;
    if (this.backingOff) return undefined;
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<Connected | undefined> {
    const p = this.profile;
    try {
      const models = await listModels(p.endpoint, { timeoutMs: 5000, apiKey: await this.apiKey() });
      let served;
      try {
        served = pickServedModel(models, p.model, p.endpoint, `"model" in profile "${p.name}"`);
      } catch (err) {
        this.fail(l10n.t('Profile "{0}": {1}', p.name, errorText(err)), 'error');
        return undefined;
      }
      const { effective } = (this.info = { profile: p, ...resolveFor(p, served) });
      this.failures = 0;
      this.retryAt = 0;
      const warnings = effective.warnings.join(' ');
      if (warnings && warnings !== this.lastWarnings) log().warn(`Profile "${p.name}": ${warnings}`);
      this.lastWarnings = warnings;
      this.stats.setServer({
        kind: effective.warnings.length ? 'error' : 'ok',
        endpoint: p.endpoint,
        model: served.id,
        maxModelLen: served.maxModelLen,
        message: effective.warnings.length ? effective.warnings[0] : undefined,
        templateOf: effective.templateMismatch ? p.name : undefined,
      });
      log().info(`Connected to ${p.endpoint}: model ${served.id}, max_model_len ${served.maxModelLen ?? 'unknown'}, template ${effective.template}.`);
      return this.info;
    } catch (err) {
      this.reportFailure(err);
      return undefined;
    }
  }

  /** A request failed: connection-level failures mark the server unreachable and back off. */
  reportFailure(err: unknown): void {
    const unreachable = err instanceof ClientError && ['connection-refused', 'unreachable', 'timeout-first-token'].includes(err.kind);
    if (unreachable) {
      this.info = undefined;
      this.fail(errorText(err), 'unreachable');
    } else if (!(err instanceof ClientError)) {
      // Not an answer from the server (secret storage, a bug): back off and log once per streak.
      this.fail(l10n.t('Completions paused: {0}', errorText(err)), 'error');
    } else {
      log().warn(`Completion failed: ${errorText(err)}`);
      if (err instanceof ClientError && err.kind === 'unknown-model') this.info = undefined;
    }
  }

  /** A request succeeded after trouble: clear the backoff. */
  reportSuccess(): void {
    if (this.failures > 0) {
      this.failures = 0;
      this.retryAt = 0;
    }
  }

  private fail(message: string, kind: 'unreachable' | 'error'): void {
    this.failures++;
    const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** (this.failures - 1));
    this.retryAt = Date.now() + wait;
    // Log once per streak, not per keystroke.
    if (this.failures === 1 || this.stats.server.message !== message) log().warn(`${message} (retrying in ${Math.round(wait / 1000)} s)`);
    this.stats.setServer({ kind, endpoint: this.profile.endpoint, message });
  }
}
