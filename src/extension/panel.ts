// The profiling panel's host side: strict CSP, nonce scripts, narrow resource roots, a
// ready handshake, and re-hydration from the host when shown again (no
// retainContextWhenHidden: the host owns the data). A serializer brings it back after a
// window reload: VS Code hands over the restored webview and the host hydrates it afresh.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { isPanelMessage, type HostMessage, type PanelState } from '../protocol';
import { Disposable } from './dispose';

export class ProfilingPanel extends Disposable {
  static readonly viewType = 'completionLab.panel';
  private static current: ProfilingPanel | undefined;
  private ready = false;
  private pending: NodeJS.Timeout | undefined;

  static show(extensionUri: vscode.Uri, state: (fresh: boolean) => Promise<PanelState>, onChange: vscode.Event<void>): ProfilingPanel {
    if (ProfilingPanel.current) {
      ProfilingPanel.current.panel.reveal();
      return ProfilingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ProfilingPanel.viewType, 'Completion Lab', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    ProfilingPanel.current = new ProfilingPanel(panel, extensionUri, state, onChange);
    return ProfilingPanel.current;
  }

  /** A panel VS Code restored after a window reload (see registerPanel). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: (fresh: boolean) => Promise<PanelState>, onChange: vscode.Event<void>): ProfilingPanel {
    ProfilingPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    ProfilingPanel.current = new ProfilingPanel(panel, extensionUri, state, onChange);
    return ProfilingPanel.current;
  }

  static get isOpen(): boolean {
    return ProfilingPanel.current !== undefined;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly state: (fresh: boolean) => Promise<PanelState>,
    onChange: vscode.Event<void>,
  ) {
    super();
    panel.webview.html = html(panel.webview, extensionUri);
    this.register(panel.onDidDispose(() => {
      ProfilingPanel.current = undefined;
      this.dispose();
    }));
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isPanelMessage(m)) return;
      if (m.type === 'ready') {
        this.ready = true;
        void this.post('hydrate');
      } else {
        void vscode.commands.executeCommand(m.command);
      }
    }));
    // A hidden webview is torn down; on show it says "ready" again and is re-hydrated.
    this.register(panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }));
    this.register(onChange(() => this.schedule()));
    this.register({ dispose: () => clearTimeout(this.pending) });
  }

  /** Updates at most once a second. */
  private schedule(): void {
    if (this.pending || !this.ready) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.post('update');
    }, 1000);
  }

  private async post(type: HostMessage['type']): Promise<void> {
    if (this.isDisposed) return;
    // A hydrate (panel opened or shown again) reads the store afresh; updates may not.
    const msg: HostMessage = { type, state: await this.state(type === 'hydrate') };
    await this.panel.webview.postMessage(msg);
  }

  override dispose(): void {
    super.dispose();
    this.panel.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/**
 * Brings the panel back after a window reload (package.json activates on
 * `onWebviewPanel:completionLab.panel`). `opened` runs for a revived panel as for a new one.
 */
/**
 * The panel's show() and its serializer, so it comes back after a window reload;
 * `openedOrClosed` runs whenever one opens or closes (the GPU watch polls while one is open).
 */
export function registerPanel(extensionUri: vscode.Uri, state: (fresh: boolean) => Promise<PanelState>, onChange: vscode.Event<void>, openedOrClosed: () => void): { show: () => void; serializer: vscode.Disposable } {
  const opened = (p: ProfilingPanel) => {
    p.panel.onDidDispose(() => setTimeout(openedOrClosed, 0));
    openedOrClosed();
  };
  return {
    show: () => opened(ProfilingPanel.show(extensionUri, state, onChange)),
    serializer: vscode.window.registerWebviewPanelSerializer(ProfilingPanel.viewType, {
      deserializeWebviewPanel: async (panel) => opened(ProfilingPanel.revive(panel, extensionUri, state, onChange)),
    }),
  };
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const styles = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // The panel's strings come from the same bundle as the host's (data, not a script: the CSP allows no inline code).
  const bundle = JSON.stringify(vscode.l10n.bundle ?? {}).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language.replace(/[^\w-]/g, '')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styles.toString()}">
<title>Completion Lab</title>
</head>
<body>
<script type="application/json" id="l10n-bundle">${bundle}</script>
<main id="app"><p>${vscode.l10n.t('Loading…')}</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
