// The one log channel. Detail goes here; the status bar carries ongoing trouble, and
// toasts are kept for things the user asked for.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Completion Lab', { log: true });
  return channel;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error the user asked about: names what failed, offers the log. */
export async function showError(message: string): Promise<void> {
  log().error(message);
  const pick = await vscode.window.showErrorMessage(message, 'Open log');
  if (pick === 'Open log') log().show(true);
}
