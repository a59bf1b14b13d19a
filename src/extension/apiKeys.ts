// API keys live in VS Code's secret storage, never in settings. This is the one place that
// names a profile's secret, so where a key is kept (and, later, which endpoint it may be
// sent to) is decided here.
import * as vscode from 'vscode';
import type { ModelProfile } from '../core/profiles';

const PREFIX = 'completionLab.apiKey.';

export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(profile: ModelProfile): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(secretName(profile))).then((k) => k || undefined);
  }

  /** Saves the key; an empty one removes it. */
  async set(profile: ModelProfile, key: string): Promise<void> {
    if (key) await this.secrets.store(secretName(profile), key);
    else await this.secrets.delete(secretName(profile));
  }

  /** Fires when any profile's key was saved or removed (here or in another window). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) listener();
    });
  }
}

function secretName(profile: Pick<ModelProfile, 'name' | 'apiKeyName'>): string {
  return `${PREFIX}${profile.apiKeyName || profile.name}`;
}
