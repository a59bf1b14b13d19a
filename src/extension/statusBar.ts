// The status bar item: drawn from LiveStats through renderStatus(), at most once a second.
import * as vscode from 'vscode';
import { MENU_COMMAND } from './controls';
import { Disposable } from './dispose';
import type { LiveStats } from './liveStats';
import { renderStatus, TOOLTIP_COMMANDS, type StatusState, type StatusView } from './statusModel';

export interface StatusInputs {
  enabled(): boolean;
  /** Epoch ms a snooze ends, or undefined. */
  snoozedUntil(): number | undefined;
  profileName(): string | undefined;
  profileProblem(): string | undefined;
  /** Why recorded completions are not being written now (a full disk), until a write succeeds. */
  storeProblem(): string | undefined;
  /** After such trouble: how many records this window could not write (stays in the tooltip). */
  storeNote?(): string | undefined;
}

const MIN_INTERVAL_MS = 1000;

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private lastDraw = 0;
  private view: StatusView | undefined;
  private tooltip: vscode.MarkdownString | undefined;

  constructor(private readonly stats: LiveStats, private readonly inputs: StatusInputs) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('completion-lab.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Completion Lab';
    this.item.command = MENU_COMMAND;
    this.register(stats.onDidChange(() => this.schedule()));
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.draw();
    this.item.show();
  }

  /** Redraw soon: immediately if the last draw is a second old, else at the second. */
  schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastDraw + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, wait);
  }

  get current(): StatusView | undefined {
    return this.view;
  }

  /** The tooltip as the workbench receives it (its value and what it trusts). */
  get currentTooltip(): vscode.MarkdownString | undefined {
    return this.tooltip;
  }

  private state(): StatusState {
    if (!this.inputs.enabled()) return { kind: 'off' };
    const until = this.inputs.snoozedUntil();
    if (until !== undefined) return { kind: 'off', until };
    const profile = this.inputs.profileName();
    if (!profile) return { kind: 'no-profile', message: this.inputs.profileProblem() ?? vscode.l10n.t('No model profile.') };
    const s = this.stats;
    if (s.server.kind === 'unreachable') {
      return { kind: 'unreachable', endpoint: s.server.endpoint ?? '', message: s.server.message ?? '' };
    }
    const base = {
      profile,
      model: s.server.model,
      last: s.last,
      p50: s.ttft(50),
      p90: s.ttft(90),
      shownP50: s.keystrokeToShown(50),
      count: s.count,
      gpu: s.gpu,
      gpuState: s.gpuState,
      gpuSource: s.gpuSource,
      fleet: s.fleet,
      ...(s.servingGpuIndex !== undefined ? { servingGpuIndex: s.servingGpuIndex } : {}),
      server: s.server,
      note: this.inputs.storeNote?.(),
    };
    // A settings problem, the server's warning (e.g. a template that does not fit) and a
    // store that cannot write are all shown.
    const problems = [this.inputs.profileProblem(), s.server.kind === 'error' ? s.server.message : undefined, this.inputs.storeProblem()].filter((m): m is string => !!m);
    return problems.length ? { kind: 'degraded', message: problems.join(' '), base } : { kind: 'serving', base };
  }

  private draw(): void {
    if (this.isDisposed) return;
    this.lastDraw = Date.now();
    const view = renderStatus(this.state());
    this.view = view;
    this.item.text = view.text;
    const md = new vscode.MarkdownString(view.tooltip, true);
    // Only this extension's own commands: server and settings text is escaped, and even a
    // link that slipped through could not run anything else.
    md.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
    this.tooltip = md;
    this.item.tooltip = md;
    this.item.backgroundColor =
      view.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : view.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
  }
}
