// Starting and stopping model servers from the editor: the embedded llama.cpp engine
// (run with the extension host's own runtime, never whatever `node` is on PATH) and the
// profiles' launch commands (e.g. `vllm serve ...`). vLLM instances sharing one GPU must
// start one after another, so each waits for /health 200 before the next begins. Both run
// under core's launcher, so they exit with the editor even when it is killed.
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { BUNDLED_MODEL_FILE } from '../core/engine/bundledModel';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { launch, launchShell, type Launched } from '../core/server/launcher';
import { probeServer, serverRoot } from '../core/server/probe';
import type { ModelProfile } from '../core/profiles';
import { Disposable } from './dispose';
import { errorText, log } from './log';

export interface RunningServer {
  label: string;
  url?: string;
  model?: string;
  /** The guard process (its stdout/stderr are the server's). */
  child: ChildProcess;
  launched: Launched;
}

const HEALTH_POLL_MS = 500;

export class ServerManager extends Disposable {
  private readonly running: RunningServer[] = [];

  constructor(private readonly extensionPath: string) {
    super();
    this.register({ dispose: () => this.stopAll() });
  }

  get servers(): readonly RunningServer[] {
    return this.running;
  }

  /** The embedded engine: resolves with its URL once it printed its ready line. */
  async startEmbedded(modelPath: string, token?: vscode.CancellationToken): Promise<RunningServer> {
    const cli = path.join(this.extensionPath, 'dist', 'cli.js');
    // No path: `serve` picks the bundled small code model (models/ in the extension).
    const args = [cli, 'serve', '--port', '0', ...(modelPath ? ['--model', modelPath] : [])];
    // Under desktop VS Code process.execPath is Electron: run it as plain Node.
    const launched = launch(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const child = launched.child;
    const server: RunningServer = { label: `embedded engine (${modelPath ? path.basename(modelPath) : BUNDLED_MODEL_FILE})`, child, launched };
    this.track(server);
    const stderr: string[] = [];
    readline.createInterface({ input: child.stderr! }).on('line', (l) => {
      stderr.push(l);
      if (stderr.length > 20) stderr.shift();
      log().info(`[engine] ${l}`);
    });
    return new Promise<RunningServer>((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout! });
      const fail = (why: string) => {
        this.stop(server);
        reject(new Error(`${why}${stderr.length ? `\n${stderr.slice(-5).join('\n')}` : ''}`));
      };
      token?.onCancellationRequested(() => fail(vscode.l10n.t('Cancelled.')));
      const onError = (e: Error) => fail(vscode.l10n.t('Could not start the embedded engine: {0}', e.message));
      const onEarlyExit = (code: number | null) => fail(vscode.l10n.t('The embedded engine exited (code {0}) before it was ready.', String(code)));
      child.once('error', onError);
      child.once('exit', onEarlyExit);
      lines.once('line', (l) => {
        try {
          const ready = JSON.parse(l) as { url: string; model: string };
          server.url = ready.url;
          server.model = ready.model;
          // Only our own listener: the tracker's must stay, or a crashed engine stays "running".
          child.off('exit', onEarlyExit);
          child.off('error', onError);
          child.once('exit', (code) => log().warn(`The embedded engine exited (code ${code}).`));
          resolve(server);
        } catch {
          fail(vscode.l10n.t('The embedded engine printed an unexpected line: {0}', l));
        }
      });
    });
  }

  /** A profile's launch command, then /health until 200 (connection refused = still loading). */
  async startLaunchCommand(profile: ModelProfile, token?: vscode.CancellationToken, timeoutMs = 15 * 60_000): Promise<RunningServer> {
    const command = profile.launchCommand!;
    const launched = launchShell(command);
    const child = launched.child;
    const server: RunningServer = { label: `${profile.name}: ${command}`, url: profile.endpoint, child, launched };
    this.track(server);
    for (const s of [child.stdout!, child.stderr!]) readline.createInterface({ input: s }).on('line', (l) => log().info(`[${profile.name}] ${l}`));
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    const deadline = Date.now() + timeoutMs;
    const root = serverRoot(profile.endpoint);
    while (Date.now() < deadline) {
      if (token?.isCancellationRequested) {
        this.stop(server);
        throw new Error(vscode.l10n.t('Cancelled.'));
      }
      if (exited !== undefined) throw new Error(vscode.l10n.t('"{0}" exited with code {1} before the server was ready. See the log for its output.', command, String(exited)));
      // Connection refused while the model loads is expected: keep polling.
      const probe = await probeServer(root, { timeoutMs: 2000, starting: true });
      if (probe.health === 'ok') return server;
      if (probe.health === 'dead') log().warn(`${root}/health answers 503: the engine is not healthy yet.`);
      await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
    }
    this.stop(server);
    throw new Error(vscode.l10n.t('"{0}" did not answer {1}/health within {2} min.', command, root, Math.round(timeoutMs / 60000)));
  }

  stop(server: RunningServer): void {
    const i = this.running.indexOf(server);
    if (i >= 0) this.running.splice(i, 1);
    server.launched.stop().catch((e: unknown) => log().warn(`Could not stop ${server.label}: ${errorText(e)}`));
  }

  stopAll(): number {
    const n = this.running.length;
    for (const s of [...this.running]) this.stop(s);
    return n;
  }

  private track(server: RunningServer): void {
    this.running.push(server);
    server.child.once('exit', () => {
      const i = this.running.indexOf(server);
      if (i >= 0) this.running.splice(i, 1);
    });
  }
}
