// Colours from VS Code's theme: the webview gets them as CSS variables, so charts follow
// light, dark and high-contrast themes, and change with them.

const PALETTE_VARS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || fallback;
}

export interface ThemeColors {
  palette: string[];
  foreground: string;
  grid: string;
}

export function themeColors(): ThemeColors {
  return {
    palette: PALETTE_VARS.map(([v, f]) => themeColor(v, f)),
    foreground: themeColor('--vscode-foreground', '#cccccc'),
    grid: themeColor('--vscode-charts-lines', themeColor('--vscode-panel-border', '#80808059')),
  };
}

/** Calls `cb` when VS Code switches theme (it changes the body's class). */
export function onThemeChange(cb: () => void): void {
  new MutationObserver(cb).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
