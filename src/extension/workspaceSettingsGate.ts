// Asks the user, once per workspace and per exact content, before this workspace's own
// settings may send code to an endpoint or run a launch command (config.trust() decides;
// this holds the remembered answer and asks). The answer is kept in the workspace's
// storage, outside the repository, as the digest of what was confirmed: any change asks again.
import * as vscode from 'vscode';
import { describeAsk, type TrustDecision } from '../core/trust/workspaceAsk';
import { config, useWorkspaceApprovals } from './config';
import { Disposable } from './dispose';
import { log } from './log';

const APPROVED_KEY = 'completionLab.confirmedWorkspaceSettings';
export const REVIEW_COMMAND = 'completionLab.reviewWorkspaceSettings';

export class WorkspaceSettingsGate extends Disposable {
  /** Digests already announced in this window: each withheld content is told once. */
  private readonly told = new Set<string>();

  constructor(private readonly state: vscode.Memento, private readonly onDidConfirm: () => void) {
    super();
    useWorkspaceApprovals(() => this.state.get<string>(APPROVED_KEY));
    this.register(vscode.commands.registerCommand(REVIEW_COMMAND, () => this.review()));
    // Trust granted: the workspace's settings may now be asked about (onDidConfirm re-reads and checks).
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.onDidConfirm()));
  }

  /** Announces (once per content) that the workspace's settings are not used yet. */
  check(): TrustDecision {
    const d = config.trust();
    if (d.kind !== 'withheld' || this.told.has(d.digest)) return d;
    this.told.add(d.digest);
    const what = describeAsk(d.ask);
    if (d.why === 'untrusted') {
      log().warn(`This workspace is not trusted: its Completion Lab settings (profiles, active profile) are ignored and launch commands are off; your own settings apply.\n  ${what.join('\n  ')}`);
      return d;
    }
    log().warn(`This workspace's settings ask for the following; until you confirm them ("Completion Lab: Review this workspace's settings"), your own settings apply.\n  ${what.join('\n  ')}`);
    void vscode.window
      .showWarningMessage(vscode.l10n.t("Completion Lab: this workspace's settings name model servers or commands. Your own settings are used until you review and confirm them."), vscode.l10n.t('Review…'))
      .then((pick) => (pick ? this.review() : undefined));
    return d;
  }

  /** The modal: exactly what the workspace asks for, and the one button that allows it. */
  async review(): Promise<void> {
    const d = config.trust();
    if (d.kind === 'user-only') return void vscode.window.showInformationMessage(vscode.l10n.t('Completion Lab: this workspace sets no model servers or commands; your own settings apply.'));
    if (d.kind === 'confirmed') return void vscode.window.showInformationMessage(vscode.l10n.t("Completion Lab: this workspace's settings are already confirmed. Any change to them asks again."));
    if (d.why === 'untrusted') return void vscode.window.showWarningMessage(vscode.l10n.t('Completion Lab: trust this workspace first (Workspaces: Manage Workspace Trust); until then its model servers and commands are not used.'));
    const use = vscode.l10n.t('Use these settings');
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t("Completion Lab: use this workspace's model settings?"),
      { modal: true, detail: vscode.l10n.t("The repository's settings ask for:\n\n{0}\n\nYour code around the cursor goes to these servers on every completion. Only confirm servers and commands you know.", describeAsk(d.ask).join('\n')) },
      use,
    );
    if (pick !== use) return;
    await this.state.update(APPROVED_KEY, d.digest);
    log().info("This workspace's Completion Lab settings were confirmed; they apply until they change.");
    this.onDidConfirm();
  }
}
