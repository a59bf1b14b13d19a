// The CLI's own messages in the terminal's language: LC_ALL, LC_MESSAGES, then LANG (the
// order gettext reads them), with the extension's l10n bundles (l10n/ beside dist/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

/** `zh_CN.UTF-8` -> `zh-cn`; C, POSIX and unset -> undefined (English). */
export function terminalLanguage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'];
  const m = raw ? /^([a-z]{2,3})(?:_([A-Za-z]{2}))?(?=$|[.@])/.exec(raw) : null;
  return m ? (m[2] ? `${m[1]}-${m[2]}` : m[1]!).toLowerCase() : undefined;
}

/** Loads the bundle for the terminal's language (or its base language) where one ships. */
export function useTerminalLanguage(l10nDir = path.join(__dirname, '..', 'l10n')): void {
  const lang = terminalLanguage();
  if (!lang || lang.startsWith('en')) return;
  for (const candidate of [lang, lang.split('-')[0]!]) {
    const file = path.join(l10nDir, `bundle.l10n.${candidate}.json`);
    if (fs.existsSync(file)) return l10n.config({ fsPath: file });
  }
}
