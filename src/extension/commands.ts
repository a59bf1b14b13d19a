// The commands of the product. Each says what it did or why it could not; none is a
// silent no-op.
import * as vscode from 'vscode';
import { listModels, pickServedModel, type ServedModel } from '../core/client/models';
import { profilesToOffer, templateOptions, type ModelProfile, type TemplateOption } from '../core/profiles';
import type { RecordStore } from '../core/store/recordStore';
import type { ApiKeys } from './apiKeys';
import { inertLinks } from '../core/trust/markdown';
import { config } from './config';
import { errorText, log, showError } from './log';
import type { ComparisonArgs } from './comparison';
import type { ServerManager } from './servers';

export interface CommandDeps {
  store: RecordStore;
  servers: ServerManager;
  showPanel: () => void;
  clearCaches: () => void;
  keys: ApiKeys;
  runComparison: (args?: ComparisonArgs) => Promise<unknown>;
}

const PROFILES_KEY = 'profiles';

/** The name of an entry of the user's profile list as written (it may be malformed). */
const rawName = (p: unknown): unknown => (p as { name?: unknown } | null)?.name;

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const reg = (id: string, fn: (...a: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...a: unknown[]) => {
      try {
        await fn(...a);
      } catch (err) {
        await showError(vscode.l10n.t('Completion Lab: {0}', errorText(err)));
      }
    });
  return [
    reg('completionLab.showPanel', () => deps.showPanel()),
    reg('completionLab.showLog', () => log().show(true)),
    // With `{addFromServer: url}` it goes straight to adding a profile from that server; with
    // `{setTemplate: name}` straight to that profile's template.
    reg('completionLab.selectModel', (arg) => {
      const a = arg as { addFromServer?: unknown; setTemplate?: unknown } | undefined;
      if (typeof a?.addFromServer === 'string') return addFromServer(a.addFromServer);
      if (typeof a?.setTemplate === 'string') return setTemplate(deps.keys, a.setTemplate);
      return selectModel(deps);
    }),
    reg('completionLab.startServers', () => startServers(deps)),
    reg('completionLab.stopServers', () => {
      const n = deps.servers.stopAll();
      void vscode.window.showInformationMessage(n ? (n > 1 ? vscode.l10n.t('Completion Lab: stopped {0} model servers.', n) : vscode.l10n.t('Completion Lab: stopped 1 model server.')) : vscode.l10n.t('Completion Lab: no model server started from this window is running.'));
    }),
    reg('completionLab.clearTraffic', async () => {
      const del = vscode.l10n.t('Delete');
      const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Delete all recorded completions and traffic of Completion Lab on this machine?'), { modal: true }, del);
      if (pick !== del) return;
      await deps.store.clear();
      deps.clearCaches();
      void vscode.window.showInformationMessage(vscode.l10n.t('Completion Lab: recorded traffic cleared.'));
    }),
    reg('completionLab.exportData', async () => {
      const uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Completion Lab records'),
        filters: { 'JSON': ['json'], 'CSV': ['csv'] },
        defaultUri: vscode.Uri.file(`completion-lab-records.json`),
      });
      if (!uri) return;
      const store = deps.store;
      const n = uri.fsPath.toLowerCase().endsWith('.csv') ? await store.exportCsv(uri.fsPath) : await store.exportJson(uri.fsPath);
      void vscode.window.showInformationMessage(vscode.l10n.t('Completion Lab: exported {0} records to {1}.', n, uri.fsPath));
    }),
    // Returns the report, so tests (and other extensions) can run it with arguments and no UI.
    vscode.commands.registerCommand('completionLab.runComparison', async (args?: ComparisonArgs) => {
      try {
        return await deps.runComparison(args);
      } catch (err) {
        await showError(vscode.l10n.t('Completion Lab: comparison failed: {0}', errorText(err)));
        return undefined;
      }
    }),
  ];
}

async function selectModel(deps: CommandDeps): Promise<void> {
  const { profiles, errors } = config.profiles();
  for (const e of errors) log().warn(e);
  const active = config.activeProfile().profile?.name;
  type Item = vscode.QuickPickItem & { action: 'use' | 'add' | 'key' | 'template'; profile?: ModelProfile };
  const items: Item[] = profiles.map((p) => ({
    label: p.name,
    description: `${p.model || vscode.l10n.t('(server default)')} · ${p.template}`,
    detail: p.endpoint,
    picked: p.name === active,
    action: 'use' as const,
    profile: p,
    ...(p.name === active ? { iconPath: new vscode.ThemeIcon('check') } : {}),
  }));
  items.push({ label: vscode.l10n.t('$(add) Add a profile from a running server…'), action: 'add' });
  items.push({ label: vscode.l10n.t('$(symbol-snippet) Set the prompt template of a profile…'), action: 'template' });
  items.push({ label: vscode.l10n.t('$(key) Set the API key of a profile…'), action: 'key' });
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Completion Lab: model profile for inline completions') });
  if (!pick) return;
  if (pick.action === 'use' && pick.profile) {
    await useProfile(pick.profile.name, vscode.l10n.t('using'));
  } else if (pick.action === 'add') {
    await addFromServer();
  } else if (pick.action === 'template') {
    await setTemplate(deps.keys);
  } else {
    await setApiKey(profiles, deps.keys);
  }
}

async function addFromServer(preset?: string): Promise<void> {
  const url = preset ?? (await vscode.window.showInputBox({
    title: vscode.l10n.t('Server URL'),
    value: 'http://127.0.0.1:8000',
    prompt: vscode.l10n.t('Base URL of an OpenAI-compatible server (vLLM, llama.cpp, the embedded engine)'),
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : vscode.l10n.t('Enter a URL starting with http:// or https://')),
  }));
  if (!url) return;
  const models = await listModels(url, { timeoutMs: 5000 });
  if (!models.length) throw new Error(vscode.l10n.t('{0} serves no model.', url));
  // Served names come from the server: shown as plain labels (a quick pick renders no markdown).
  const candidates = models.flatMap((m) => profilesToOffer(url, { id: m.id, maxModelLen: m.maxModelLen, ...(m.root ? { root: m.root } : {}) }));
  const pick = await vscode.window.showQuickPick(
    candidates.map(({ profile: c, note }) => ({ label: c.name, description: `${c.model} · ${c.template}`, ...(note ? { detail: note } : {}), c })),
    { title: vscode.l10n.t('Profile to add'), matchOnDescription: true },
  );
  if (!pick) return;
  await upsertProfile(pick.c);
  await useProfile(pick.c.name, vscode.l10n.t('added to your settings and selected'));
}

/** Makes a profile active (in the user's settings) and says whether it applies in this workspace. */
async function useProfile(name: string, did: string): Promise<void> {
  const applies = await config.setActiveProfile(name);
  const shown = inertLinks(name);
  void vscode.window.showInformationMessage(applies
    ? vscode.l10n.t('Completion Lab: {0} "{1}".', did, shown)
    : vscode.l10n.t('Completion Lab: {0} "{1}" in your settings; this workspace\'s confirmed settings choose "{2}" here.', did, shown, inertLinks(config.activeProfileName())));
}

/**
 * Adds or replaces a profile by name in the user's settings: never in the repository's
 * `.vscode/settings.json` (a profile is the user's, and the list there would carry the
 * user's launch commands and key names into a file that gets shared). Only the user's own
 * list is rewritten, so no workspace profile is copied into user settings either.
 */
export async function upsertProfile(profile: ModelProfile): Promise<void> {
  const raw = config.userProfilesRaw().filter((p) => rawName(p) !== profile.name);
  const clean = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined));
  await vscode.workspace.getConfiguration('completionLab').update(PROFILES_KEY, [...raw, clean], vscode.ConfigurationTarget.Global);
}

/**
 * Sets one profile's template in the user's settings: the profile named, or one picked (the
 * active one first). The server is asked what it serves, so the template that fits the
 * model comes first. A profile from the workspace's settings is changed there, not here.
 */
async function setTemplate(keys: ApiKeys, name?: string): Promise<void> {
  const { profiles } = config.profiles();
  const active = config.activeProfile().profile?.name;
  if (name === undefined) {
    const ordered = [...profiles].sort((x, y) => Number(y.name === active) - Number(x.name === active));
    const pick = await vscode.window.showQuickPick(ordered.map((p) => ({ label: p.name, description: p.template, p })), { title: vscode.l10n.t('Prompt template for which profile?') });
    if (!pick) return;
    name = pick.p.name;
  }
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new Error(vscode.l10n.t('There is no profile "{0}" in "completionLab.profiles".', inertLinks(name)));
  const own = config.userProfilesRaw();
  if (!own.some((p) => rawName(p) === name)) {
    throw new Error(vscode.l10n.t('Profile "{0}" comes from this workspace\'s settings: change its "template" in .vscode/settings.json.', inertLinks(name)));
  }
  let served: ServedModel | undefined;
  try {
    const apiKey = await keys.get(profile);
    served = pickServedModel(await listModels(profile.endpoint, { timeoutMs: 3000, ...(apiKey ? { apiKey } : {}) }), profile.model, profile.endpoint, 'model');
  } catch (err) {
    log().info(`Set template: could not ask ${profile.endpoint} what it serves (${errorText(err)}); no template is marked as fitting.`);
  }
  const describe = (o: TemplateOption): string => [
    o.recommended ? vscode.l10n.t('fits {0}', served?.root ?? served?.id ?? '') : '',
    o.template === 'auto' ? vscode.l10n.t('chosen from the model\'s name') : '',
    o.current ? vscode.l10n.t('current') : '',
  ].filter(Boolean).join(' · ');
  const pick = await vscode.window.showQuickPick(
    templateOptions(profile.template, served).map((o) => ({ label: o.template, description: describe(o), o })),
    { title: vscode.l10n.t('Prompt template for "{0}" ("custom" is set in settings.json with customTemplate)', profile.name) },
  );
  if (!pick) return;
  // Only the template changes: every other field of the user's entry is written back as it was.
  const raw = own.map((p) => (rawName(p) === name ? { ...(p as object), template: pick.o.template } : p));
  await vscode.workspace.getConfiguration('completionLab').update(PROFILES_KEY, raw, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(vscode.l10n.t('Completion Lab: profile "{0}" now uses the template "{1}".', inertLinks(name), pick.o.template));
}

async function setApiKey(profiles: ModelProfile[], keys: ApiKeys): Promise<void> {
  const pick = await vscode.window.showQuickPick(profiles.map((p) => ({ label: p.name, p })), { title: vscode.l10n.t('API key for which profile?') });
  if (!pick) return;
  const key = await vscode.window.showInputBox({ title: vscode.l10n.t('API key for {0}', pick.p.name), password: true, prompt: vscode.l10n.t('Kept in VS Code secret storage, sent only to this profile\'s endpoint. Empty: remove it.') });
  if (key === undefined) return;
  await keys.set(pick.p, key);
  void vscode.window.showInformationMessage(key ? vscode.l10n.t('Completion Lab: API key for "{0}" saved (sent only to its endpoint\'s origin).', inertLinks(pick.p.name)) : vscode.l10n.t('Completion Lab: API key for "{0}" removed.', inertLinks(pick.p.name)));
}

async function startServers(deps: CommandDeps): Promise<void> {
  const { profiles } = config.profiles();
  type Item = vscode.QuickPickItem & { profile?: ModelProfile };
  const modelPath = config.engineModelPath();
  const items: Item[] = [
    { label: vscode.l10n.t('Embedded engine (llama.cpp)'), description: modelPath || vscode.l10n.t('bundled small code model (set completionLab.engine.modelPath to use another GGUF file)'), picked: true },
    // A restricted (untrusted) workspace runs no launch commands at all.
    ...(vscode.workspace.isTrusted ? profiles.filter((p) => p.launchCommand).map((p) => ({ label: p.name, description: p.launchCommand ?? '', profile: p })) : []),
  ];
  if (!vscode.workspace.isTrusted && profiles.some((p) => p.launchCommand)) log().info('Launch commands are off in this untrusted workspace (trust it to run them).');
  const picks = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Start which model servers? (started one after another)') });
  if (!picks?.length) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Completion Lab', cancellable: true }, async (progress, token) => {
    for (const p of picks) {
      if (token.isCancellationRequested) return;
      progress.report({ message: vscode.l10n.t('starting {0}… (waiting for it to be ready)', p.label) });
      if (p.profile) {
        await deps.servers.startLaunchCommand(p.profile, token);
        void vscode.window.showInformationMessage(inertLinks(vscode.l10n.t('Completion Lab: "{0}" is ready at {1}.', p.profile.name, p.profile.endpoint)));
      } else {
        const s = await deps.servers.startEmbedded(modelPath, token);
        await upsertProfile({ name: 'embedded', endpoint: s.url!, model: s.model, template: 'auto' });
        await config.setActiveProfile('embedded');
        void vscode.window.showInformationMessage(inertLinks(vscode.l10n.t('Completion Lab: embedded engine ready at {0} ({1}); profile "embedded" selected.', s.url ?? '', s.model ?? '')));
      }
    }
  });
}
