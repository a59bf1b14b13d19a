// API keys live in VS Code's secret storage, never in settings, each bound to the endpoint
// origin it was saved for: `get` gives a profile its key only when the profile's endpoint
// has that origin, so a repository's settings that name the user's key under their own
// server get nothing. This is the one place that names a profile's secret.
import * as vscode from 'vscode';
import type { ModelProfile } from '../core/profiles';
import { encodeBoundKey, endpointOrigin, lookupKey } from '../core/trust/boundKey';
import { log } from './log';

const PREFIX = 'completionLab.apiKey.';

/** How the user is told about a key that is withheld, and asked to bind an old one. */
export interface KeyPrompts {
  tell(message: string): void;
  /** Resolves true when the user agrees to bind a key saved by an older version to `origin`. */
  confirmBind(keyName: string, origin: string, profileName: string): Thenable<boolean>;
}

export class ApiKeys {
  /** Messages already shown (each once per window) and binds already asked. */
  private readonly told = new Set<string>();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly prompts: KeyPrompts = vscodePrompts) {}

  /**
   * The key saved for this profile's endpoint origin; undefined (and the user told why, once)
   * otherwise. Rejects with a message that says what to do when the secret storage itself
   * fails (a locked or missing OS keyring): the caller backs off and says it once.
   */
  async get(profile: ModelProfile): Promise<string | undefined> {
    const name = keyName(profile);
    let stored: string | undefined;
    try {
      stored = await this.secrets.get(secretName(profile));
    } catch (err) {
      throw new Error(`Could not read the API key "${name}" of profile "${profile.name}" from VS Code's secret storage (${err instanceof Error ? err.message : String(err)}). Unlock or set up your system keyring (on Linux: GNOME Keyring or KWallet, or VS Code's "password-store" in argv.json); completions resume by themselves once the key can be read.`);
    }
    const found = lookupKey(stored, profile.endpoint);
    switch (found.kind) {
      case 'key':
        return found.key;
      case 'other-origin':
        this.once(`${name}|${found.asked}`, () => this.prompts.tell(vscode.l10n.t('Completion Lab: the API key "{0}" was saved for {1}; it is not sent to {2} (profile "{3}"). To use a key there, give this profile its own "apiKeyName" and set its key with "Completion Lab: Select model".', name, found.boundTo, found.asked, profile.name)));
        return undefined;
      case 'unbound':
        // Saved before keys were bound: the safe choice is to ask before it goes anywhere.
        this.once(`bind|${name}|${found.asked}`, () => void this.askBind(profile, found.key, found.asked));
        return undefined;
      default:
        return undefined;
    }
  }

  /** Saves the key bound to the profile's endpoint origin; an empty one removes it. */
  async set(profile: ModelProfile, key: string): Promise<void> {
    if (!key) return void (await this.secrets.delete(secretName(profile)));
    const origin = endpointOrigin(profile.endpoint);
    if (!origin) throw new Error(vscode.l10n.t('Profile "{0}" has no valid http(s) endpoint ("{1}"), so its key could not be bound to a server. Fix the endpoint first.', profile.name, profile.endpoint));
    await this.secrets.store(secretName(profile), encodeBoundKey({ origin, key }));
  }

  /** Fires when any profile's key was saved or removed (here or in another window). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) listener();
    });
  }

  private async askBind(profile: ModelProfile, key: string, origin: string): Promise<void> {
    try {
      if (await this.prompts.confirmBind(keyName(profile), origin, profile.name)) await this.secrets.store(secretName(profile), encodeBoundKey({ origin, key }));
    } catch (err) {
      log().warn(`API key "${keyName(profile)}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private once(id: string, fn: () => void): void {
    if (this.told.has(id)) return;
    this.told.add(id);
    fn();
  }
}

const vscodePrompts: KeyPrompts = {
  tell(message) {
    log().warn(message);
    void vscode.window.showWarningMessage(message);
  },
  async confirmBind(name, origin, profileName) {
    log().info(`API key "${name}" was saved before keys were bound to a server; asking before sending it to ${origin}.`);
    const bind = vscode.l10n.t('Bind and send');
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t('Completion Lab: send the API key "{0}" to {1}?', name, origin),
      { modal: true, detail: vscode.l10n.t('This key was saved by an older version, before keys were bound to one server. Profile "{0}" wants it for {1}. If you agree, it is bound to {1} and never sent anywhere else; if not, it stays unused (set it again for a profile to bind it there).', profileName, origin) },
      bind,
    );
    return pick === bind;
  },
};

function keyName(profile: Pick<ModelProfile, 'name' | 'apiKeyName'>): string {
  return profile.apiKeyName || profile.name;
}

function secretName(profile: Pick<ModelProfile, 'name' | 'apiKeyName'>): string {
  return `${PREFIX}${keyName(profile)}`;
}
