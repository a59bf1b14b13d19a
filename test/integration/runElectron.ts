// Runs the same integration suites with @vscode/test-electron (desktop VS Code, downloaded
// on first use). Not usable on machines without internet; there scripts/test.mjs uses
// runInCodeServer.mjs. Select this runner with COMPLETION_LAB_VSCODE=electron.
// The caller (scripts/test.mjs) starts the engine and sets COMPLETION_LAB_TEST_ENGINE_URL
// and COMPLETION_LAB_TEST_WORKSPACE (a prepared temp copy of the fixture workspace).
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const workspace = process.env.COMPLETION_LAB_TEST_WORKSPACE;
  if (!workspace) throw new Error('COMPLETION_LAB_TEST_WORKSPACE is not set: run this through "COMPLETION_LAB_VSCODE=electron npm run test:integration".');
  return runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(__dirname, 'index.js'),
    // The user settings prepareWorkspace wrote (the extension's own settings live there).
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(path.dirname(workspace), 'user-data')],
    extensionTestsEnv: {
      COMPLETION_LAB_TEST_ENGINE_URL: process.env.COMPLETION_LAB_TEST_ENGINE_URL,
      COMPLETION_LAB_TEST_WORKSPACE: workspace,
    },
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[integration/electron] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
