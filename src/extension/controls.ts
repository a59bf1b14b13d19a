// Where and when completions run, from the command palette and the status bar menu:
// toggle, snooze, "suggest now", and the menu itself (the live numbers first, then the
// actions; the panel is one entry among them, not the only thing a click can reach).
import * as vscode from 'vscode';
import { config } from './config';
import { SNOOZE_CHOICES_MIN } from './enablement';
import type { LiveStats } from './liveStats';
import { formatNumber, formatTime } from './locale';
import type { Snooze } from './snooze';

export const MENU_COMMAND = 'completionLab.statusMenu';

/** One entry of the status bar menu; `command` undefined: information only. */
export interface MenuEntry {
  label: string;
  description?: string;
  command?: string;
  args?: unknown[];
}

export interface ControlDeps {
  snooze: Snooze;
  stats: LiveStats;
  /** Makes the next explicit trigger ask the server whatever the switches say. */
  forceNext: () => void;
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : `${formatNumber(v)} ms`);
const clock = (epochMs: number): string => formatTime(epochMs, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The status bar menu, as data: what the quick pick shows and what each entry runs. */
export function statusMenuEntries(deps: Pick<ControlDeps, 'snooze' | 'stats'>): MenuEntry[] {
  const s = deps.stats;
  const last = s.last?.timings;
  const tokS = last?.decodeTokensPerSec;
  const entries: MenuEntry[] = [{
    label: vscode.l10n.t('$(pulse) Last TTFT {0} · p50 {1} · {2} tok/s', ms(last?.ttftMs), ms(s.ttft(50)), tokS === undefined ? '–' : formatNumber(tokS)),
    description: vscode.l10n.t('over the last {0} completions', s.count),
  }];
  const until = deps.snooze.until;
  if (until !== undefined) {
    entries.push({ label: vscode.l10n.t('$(play) Resume inline completions'), description: vscode.l10n.t('snoozed until {0}', clock(until)), command: 'completionLab.toggle' });
  } else if (config.enabled()) {
    entries.push({ label: vscode.l10n.t('$(circle-slash) Turn inline completions off'), command: 'completionLab.toggle' });
    for (const m of SNOOZE_CHOICES_MIN) entries.push({ label: vscode.l10n.t('$(clock) Snooze for {0} minutes', m), command: 'completionLab.snooze', args: [m] });
  } else {
    entries.push({ label: vscode.l10n.t('$(check) Turn inline completions on'), command: 'completionLab.toggle' });
  }
  entries.push(
    { label: vscode.l10n.t('$(server) Select model…'), command: 'completionLab.selectModel' },
    { label: vscode.l10n.t('$(graph) Show profiling panel'), command: 'completionLab.showPanel' },
    { label: vscode.l10n.t('$(output) Show log'), command: 'completionLab.showLog' },
  );
  return entries;
}

export function registerControls(deps: ControlDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('completionLab.toggle', async () => {
      if (deps.snooze.until !== undefined) {
        await deps.snooze.end();
        if (!config.enabled()) await config.setEnabled(true);
        return;
      }
      await config.setEnabled(!config.enabled());
    }),
    // An argument (minutes, fractions allowed) snoozes without asking: keybindings and tests use it.
    vscode.commands.registerCommand('completionLab.snooze', async (minutes?: unknown) => {
      let m = typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
      if (m === undefined) {
        const pick = await vscode.window.showQuickPick(SNOOZE_CHOICES_MIN.map((c) => ({ label: vscode.l10n.t('{0} minutes', c), m: c })), { title: vscode.l10n.t('Completion Lab: no inline completions for…') });
        if (!pick) return undefined;
        m = pick.m;
      }
      return deps.snooze.start(m);
    }),
    vscode.commands.registerCommand('completionLab.triggerCompletion', async () => {
      deps.forceNext();
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    }),
    vscode.commands.registerCommand(MENU_COMMAND, async () => {
      const entries = statusMenuEntries(deps);
      const pick = await vscode.window.showQuickPick(entries, { title: 'Completion Lab' });
      if (pick?.command) await vscode.commands.executeCommand(pick.command, ...(pick.args ?? []));
    }),
  ];
}
