// Types of harness.mjs for the TypeScript tests (test/e2e), which load it with a runtime
// import() because out/test/... cannot reach scripts/ by a relative path.
import type { BrowserContext, Page, ConsoleMessage } from '../../test-tools/node_modules/playwright-core';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export const repoRoot: string;
export const testToolsDir: string;
export const node24Bin: string;
export const codeServerBin: string;
export const chromiumPath: string;
export const extensionId: string;
export function packageJson(): { name: string; publisher: string; version: string; [k: string]: unknown };
export function installedFolderName(): string;
export function testToolsInstalled(): boolean;

export function run(cmd: string, args: string[], opts?: SpawnOptions): Promise<number>;
export function mustRun(cmd: string, args: string[], opts?: SpawnOptions): Promise<void>;
export function spawnGroup(cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
export function killGroup(child: ChildProcess, graceMs?: number): Promise<void>;
export function killAllNow(): void;
export function killGroupsOnExit(): void;
export function sleep(ms: number): Promise<void>;
export function freePort(preferred?: number): Promise<number>;
export function waitForHttp(url: string, opts?: { timeoutMs?: number; child?: ChildProcess; what?: string }): Promise<number>;

export interface EngineHandle {
  url: string;
  model: string;
  pid: number;
  maxModelLen: number;
  child: ChildProcess;
  stop(): Promise<void>;
}
export function startEngine(opts?: { model?: string; args?: string[]; timeoutMs?: number; log?: (line: string) => void }): Promise<EngineHandle>;

export function makeTemp(prefix: string): string;
export function removeTemp(dir: string | undefined): void;
export function completionSettings(endpoint: string, extra?: Record<string, unknown>): Record<string, unknown>;
export function quietSettings(extra?: Record<string, unknown>): Record<string, unknown>;
export function prepareWorkspace(src: string, settings: Record<string, unknown>, prefix?: string): { dir: string; workspace: string };

export interface CodeServerHandle {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}
export function startCodeServer(opts: {
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  port?: number;
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  log?: boolean;
}): Promise<CodeServerHandle>;
export function remoteUri(port: number, absPath: string): string;
export function workbenchUrl(port: number, folder: string, dev?: { extensionDevelopmentPath: string; extensionTestsPath?: string }): string;

export const chromiumArgs: string[];
export function launchBrowser(opts?: { viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }>;
export function consoleText(msg: ConsoleMessage): Promise<string>;

export function cleanNpmEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function ensureSystemPackages(): Promise<string | undefined>;
export function ensureTestTools(): Promise<string | undefined>;
/** Builds a .vsix: the universal package, or with `target` the per-platform one with the embedded engine. */
export function packageVsix(opts?: { target?: string; out?: string; skipBuild?: boolean }): Promise<string>;
