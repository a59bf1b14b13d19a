// One typed facade over the settings: fresh getters (never cached), and one place that
// knows which setting changes need what restarted. Every setting applies at once: the
// change handler below restarts what reads a setting only when it starts.
import * as vscode from 'vscode';
import { TOOL_ORDER } from '../core/gpu/findTool';
import type { GpuToolChoice } from '../core/gpu/types';
import { WORKSPACE_CURSORS, type WorkspaceCursor } from '../core/compare/cases';
import { validateProfiles, type ModelProfile } from '../core/profiles';
import { decide, effectiveValue, workspaceAsk, type TrustDecision } from '../core/trust/workspaceAsk';
import type { DebounceBounds } from '../core/typing/adaptiveDebounce';
import { DEFAULT_LANGUAGES } from './enablement';
import { errorText, log } from './log';

/** `completionLab.gpu.tool`: a tool, `auto`, or `none` (no GPU polling at all). */
export type GpuToolSetting = GpuToolChoice | 'none';
const GPU_TOOL_SETTINGS: readonly GpuToolSetting[] = ['auto', ...TOOL_ORDER, 'none'];

const SECTION = 'completionLab';

export interface ProfilesRead {
  profiles: ModelProfile[];
  errors: string[];
}

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** The digest of the workspace settings the user confirmed for this workspace (set at activation). */
let approvedDigest: () => string | undefined = () => undefined;
export function useWorkspaceApprovals(source: () => string | undefined): void {
  approvedDigest = source;
}

/** `completionLab.profiles` and `activeProfile` as inspect() reports them, every layer apart. */
function layers(key: 'profiles' | 'activeProfile') {
  return cfg().inspect<unknown>(key) ?? { key };
}

export const config = {
  enabled: (): boolean => cfg().get<boolean>('enabled', true),
  /** `completionLab.languages`: per-language switch, "*" for the rest. */
  languages: (): Record<string, unknown> => {
    const v = cfg().get<unknown>('languages', DEFAULT_LANGUAGES);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { ...DEFAULT_LANGUAGES };
  },
  /** Turns completions on or off where the user set it last (the workspace's value wins if there is one). */
  async setEnabled(on: boolean): Promise<void> {
    const target = cfg().inspect<boolean>('enabled')?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await cfg().update('enabled', on, target);
  },
  /**
   * Bounds of the adaptive wait after a keystroke. The older `debounceMs`, where a user set
   * it, still means what it said: one fixed wait (both bounds).
   */
  debounce: (): DebounceBounds => {
    const fixed = cfg().inspect<number>('debounceMs');
    const set = fixed?.workspaceFolderValue ?? fixed?.workspaceValue ?? fixed?.globalValue;
    if (set !== undefined) {
      const v = clampInt(set, 0, 2000);
      return { minMs: v, maxMs: v };
    }
    const minMs = clampInt(cfg().get<number>('debounce.minMs', 50), 0, 2000);
    return { minMs, maxMs: Math.max(minMs, clampInt(cfg().get<number>('debounce.maxMs', 350), 0, 2000)) };
  },
  contextTokens: (): number => clampInt(cfg().get<number>('contextTokens', 1536), 64, 32768),
  /** `completionLab.context.otherFiles`: snippets of other files in the prompt (a profile's own `otherFiles` wins). */
  otherFiles: (): boolean => cfg().get<boolean>('context.otherFiles', true),
  /** `completionLab.suggestions.count`: completions asked for when cycling suggestions (1: no second request). */
  suggestionCount: (): number => clampInt(cfg().get<number>('suggestions.count', 3), 1, 8),
  minPrefixShare: (): number => clamp(cfg().get<number>('context.minPrefixShare', 0.5), 0.1, 1),
  recording: (): boolean => cfg().get<boolean>('recording.enabled', true),
  storeMaxBytes: (): number => Math.round(clamp(cfg().get<number>('store.maxSizeMB', 50), 1, 2048) * 1024 * 1024),
  // A 0 here must never become a busy loop: floor at the point where nvidia-smi gains nothing.
  gpuPollMs: (): number => clampInt(cfg().get<number>('gpu.pollIntervalMs', 500), 200, 10000),
  gpuTool: (): GpuToolSetting => {
    const v = cfg().get<string>('gpu.tool', 'auto');
    return GPU_TOOL_SETTINGS.find((t) => t === v) ?? 'auto';
  },
  /** `completionLab.prometheus.url`: a shared server's or cluster's Prometheus; empty: this machine's GPU tool. */
  prometheusUrl: (): string => cfg().get<string>('prometheus.url', '').trim(),
  prometheusPollMs: (): number => clampInt(cfg().get<number>('prometheus.pollIntervalSeconds', 5), 1, 300) * 1000,
  /** `completionLab.compare.workspaceCursor`: where sampled comparison cursors sit when recorded traffic runs short. */
  compareCursor: (): WorkspaceCursor => {
    const v = cfg().get<string>('compare.workspaceCursor', 'line-start');
    return WORKSPACE_CURSORS.find((c) => c === v) ?? 'line-start';
  },
  keptDelayMs: (): number => clampInt(cfg().get<number>('keptTextDelaySeconds', 20), 1, 600) * 1000,
  // Machine-scoped in package.json: a workspace cannot set it (a repository has no business
  // choosing which file the native GGUF parser reads).
  engineModelPath: (): string => cfg().get<string>('engine.modelPath', ''),
  /**
   * Whether the workspace's own `profiles`/`activeProfile` are used: only once the user
   * confirmed exactly this content for this workspace, and never in an untrusted workspace.
   */
  trust: (): TrustDecision => decide(workspaceAsk(layers('profiles'), layers('activeProfile')), approvedDigest(), vscode.workspace.isTrusted),
  activeProfileName: (): string => {
    const v = effectiveValue(layers('activeProfile'), config.trust());
    return typeof v === 'string' ? v : '';
  },
  /** The profiles in use: the user's own, plus the workspace's once confirmed (see trust()). */
  profiles: (): ProfilesRead => {
    const { profiles, errors } = validateProfiles(effectiveValue(layers('profiles'), config.trust()) ?? []);
    return { profiles, errors };
  },
  /** The user's own profile list as written in their settings, or the default (never the workspace's). */
  userProfilesRaw: (): unknown[] => {
    const l = layers('profiles');
    const v = l.globalValue ?? l.defaultValue;
    return Array.isArray(v) ? v : [];
  },
  /** The active profile, or undefined with the reason. Every use of a profile's settings reads it here. */
  activeProfile: (): { profile?: ModelProfile | undefined; errors: string[] } => {
    const { profiles, errors } = config.profiles();
    const name = config.activeProfileName();
    if (profiles.length === 0) {
      return { errors: [...errors, vscode.l10n.t('No model profile is configured. Add one to "completionLab.profiles" (endpoint of your vLLM server).')] };
    }
    if (!name) return { profile: profiles[0], errors };
    const profile = profiles.find((p) => p.name === name);
    if (!profile) {
      return {
        profile: profiles[0],
        errors: [...errors, vscode.l10n.t('Active profile "{0}" is not in "completionLab.profiles"; using "{1}". Run "Completion Lab: Select model" to pick one.', name, profiles[0]!.name)],
      };
    }
    return { profile, errors };
  },
  /**
   * The user picked a model: the choice is theirs, so it goes to their settings (Global),
   * like a theme, and never into the repository's files. Returns false when this
   * workspace's own confirmed `activeProfile` still takes precedence here.
   */
  async setActiveProfile(name: string): Promise<boolean> {
    await cfg().update('activeProfile', name, vscode.ConfigurationTarget.Global);
    return config.activeProfileName() === name;
  },
};

/**
 * What must restart when settings change. Settings not named here are read fresh at each
 * use (enabled, languages, debounce, contextTokens, keptTextDelaySeconds, engine.modelPath).
 */
export interface SettingsHandlers {
  /** completionLab.profiles, completionLab.activeProfile: a new connection. */
  profiles(): void;
  /** completionLab.gpu.*, completionLab.prometheus.*: a new GPU source. */
  gpu(): void;
  /** completionLab.store.*, completionLab.recording.*: the store's cap and what it keeps. */
  store(): void;
  /** After any change of this extension's settings (the status bar redraws). */
  any(): void;
}

export function onSettingsChange(handlers: SettingsHandlers): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SECTION)) return;
    const a = (k: string) => e.affectsConfiguration(`${SECTION}.${k}`);
    // Each part restarts on its own: one that fails is logged and never keeps the others
    // (the status bar's redraw above all) from seeing the change.
    const run = (name: string, fn: () => void) => {
      try {
        fn();
      } catch (err) {
        log().error(`Applying the ${name} settings failed: ${errorText(err)}`);
      }
    };
    if (a('profiles') || a('activeProfile')) run('profile', () => handlers.profiles());
    if (a('gpu') || a('prometheus')) run('GPU', () => handlers.gpu());
    if (a('store') || a('recording')) run('store', () => handlers.store());
    run('status', () => handlers.any());
  });
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
function clampInt(v: number, lo: number, hi: number): number {
  return Math.round(clamp(v, lo, hi));
}
