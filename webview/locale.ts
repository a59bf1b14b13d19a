// The panel's language, set before any section is built: the host writes its l10n bundle
// into the page as JSON data (the CSP allows no inline script) and VS Code's display
// language as <html lang> (src/extension/panel.ts). Imported first by main.ts.
import * as l10n from '@vscode/l10n';
import { setDisplayLanguage } from './format';

const bundleText = document.getElementById('l10n-bundle')?.textContent;
if (bundleText) l10n.config({ contents: JSON.parse(bundleText) as l10n.l10nJsonFormat });
setDisplayLanguage(document.documentElement.lang);
