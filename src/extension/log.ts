// The one log channel. Detail goes here; the status bar carries ongoing trouble, and
// toasts are kept for things the user asked for.
import * as vscode from 'vscode';
import { inertLinks } from '../core/trust/markdown';

let channel: vscode.LogOutputChannel | undefined;
/** The last lines written (an output channel cannot be read back): for the test API. */
const recent: string[] = [];
const KEEP_LINES = 500;
/** Lines written since activation: a mark that keeps counting once `recent` is full. */
let written = 0;

export function log(): vscode.LogOutputChannel {
  if (!channel) {
    channel = vscode.window.createOutputChannel('Completion Lab', { log: true });
    // Test runs also read the log from the extension host's console.
    keepRecent(channel, !!process.env.COMPLETION_LAB_LOG_TO_CONSOLE);
  }
  return channel;
}

/** How many lines were written so far: a mark for logSince(). */
export function logWritten(): number {
  return written;
}

/**
 * The lines written after `mark` (a logWritten() value), oldest first, as `[level] message`.
 * Counted from the end, so a full buffer still answers; throws if some were already dropped.
 */
export function logSince(mark: number): string[] {
  const n = written - mark;
  if (n > recent.length) throw new Error(`${n - recent.length} of the ${n} log lines since the mark were dropped (the last ${KEEP_LINES} are kept)`);
  return n > 0 ? recent.slice(-n) : [];
}

function keepRecent(ch: vscode.LogOutputChannel, toConsole: boolean): void {
  for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) {
    const original = ch[level].bind(ch) as (msg: string | Error, ...args: unknown[]) => void;
    (ch as unknown as Record<string, unknown>)[level] = (msg: string | Error, ...args: unknown[]) => {
      const line = `[${level}] ${msg instanceof Error ? msg.message : msg}`;
      recent.push(line);
      written++;
      if (recent.length > KEEP_LINES) recent.shift();
      if (toConsole) console.log(`[completion-lab ${level}] ${msg instanceof Error ? msg.message : msg}`);
      original(msg, ...args);
    };
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error the user asked about: names what failed, offers the log. Links in it (from a server's or a setting's text) stay inert. */
export async function showError(message: string): Promise<void> {
  log().error(message);
  const open = vscode.l10n.t('Open log');
  const pick = await vscode.window.showErrorMessage(inertLinks(message), open);
  if (pick === open) log().show(true);
}
