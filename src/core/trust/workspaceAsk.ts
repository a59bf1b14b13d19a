// What a workspace's own settings ask of the user, and whether to honour it. A repository's
// `.vscode/settings.json` can name endpoints (where code and keys go) and launch commands
// (what runs): those are used only once the user has confirmed exactly that content for
// that workspace. Until then the user's own values apply. Pure: the extension feeds it
// the values `WorkspaceConfiguration.inspect()` reports.
import { createHash } from 'node:crypto';

/** The parts of `inspect()` this decision reads. */
export interface Layers<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** The workspace-level values of the settings that send code or keys somewhere or run something. */
export interface WorkspaceAsk {
  profiles?: unknown;
  activeProfile?: unknown;
}

export interface AskedProfile {
  name: string;
  endpoint: string;
  apiKeyName?: string;
  launchCommand?: string;
}

export type TrustDecision =
  /** The workspace sets none of these settings: everything is the user's. */
  | { kind: 'user-only' }
  /** Confirmed for this workspace with exactly this content. */
  | { kind: 'confirmed'; digest: string }
  /** Set by the workspace, not (or no longer) confirmed: the user's own values apply. */
  | { kind: 'withheld'; digest: string; ask: WorkspaceAsk; why: 'unconfirmed' | 'untrusted' };

const workspaceLevel = <T>(l: Layers<T>): T | undefined => l.workspaceFolderValue ?? l.workspaceValue;

/** The workspace's own values, or undefined when it sets none of them. */
export function workspaceAsk(profiles: Layers<unknown>, activeProfile: Layers<unknown>): WorkspaceAsk | undefined {
  const p = workspaceLevel(profiles);
  const a = workspaceLevel(activeProfile);
  if (p === undefined && a === undefined) return undefined;
  return { ...(p !== undefined ? { profiles: p } : {}), ...(a !== undefined ? { activeProfile: a } : {}) };
}

/** A digest of exactly what is asked: any change (one character of a command) asks again. */
export function askDigest(ask: WorkspaceAsk): string {
  return createHash('sha256').update(canonicalJson(ask)).digest('hex');
}

/**
 * @param approved the digest the user confirmed for this workspace, if any
 * @param trusted  VS Code's workspace trust: an untrusted (restricted) workspace is never honoured
 */
export function decide(ask: WorkspaceAsk | undefined, approved: string | undefined, trusted: boolean): TrustDecision {
  if (!ask) return { kind: 'user-only' };
  const digest = askDigest(ask);
  if (!trusted) return { kind: 'withheld', digest, ask, why: 'untrusted' };
  return approved === digest ? { kind: 'confirmed', digest } : { kind: 'withheld', digest, ask, why: 'unconfirmed' };
}

/** The value to use: VS Code's own precedence when confirmed, else the user's (global) value. */
export function effectiveValue<T>(layers: Layers<T>, decision: TrustDecision): T | undefined {
  const user = layers.globalValue ?? layers.defaultValue;
  return decision.kind === 'confirmed' ? (workspaceLevel(layers) ?? user) : user;
}

/** The profiles a workspace asks for, as the confirmation shows them (raw: before validation). */
export function askedProfiles(ask: WorkspaceAsk): AskedProfile[] {
  if (!Array.isArray(ask.profiles)) return [];
  return ask.profiles.map((raw: unknown, i): AskedProfile => {
    const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v));
    const apiKeyName = str(p['apiKeyName']);
    const launchCommand = str(p['launchCommand']);
    return {
      name: str(p['name']) ?? `#${i + 1}`,
      endpoint: str(p['endpoint']) ?? '(no endpoint)',
      ...(apiKeyName !== undefined ? { apiKeyName } : {}),
      ...(launchCommand !== undefined ? { launchCommand } : {}),
    };
  });
}

/** Plain-text lines for the confirmation dialog: every endpoint, key name and command, verbatim. */
export function describeAsk(ask: WorkspaceAsk): string[] {
  const lines: string[] = [];
  for (const p of askedProfiles(ask)) {
    lines.push(`Profile "${p.name}": sends your code to ${p.endpoint}`);
    if (p.apiKeyName !== undefined) lines.push(`  with your API key named "${p.apiKeyName}" (only if that key was saved for this endpoint's origin)`);
    if (p.launchCommand !== undefined) lines.push(`  runs on "Start model servers": ${p.launchCommand}`);
  }
  if (ask.profiles !== undefined && !Array.isArray(ask.profiles)) lines.push(`Profiles: ${JSON.stringify(ask.profiles)}`);
  if (ask.activeProfile !== undefined) lines.push(`Active profile: ${JSON.stringify(ask.activeProfile)}`);
  return lines;
}

/** JSON with object keys sorted, so reordering keys in settings.json is not a change. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
