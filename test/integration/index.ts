// The mocha runner inside the extension host (code-server's or @vscode/test-electron's):
// VS Code calls run() after loading the development extension. Loads every compiled
// suite under ./suite and rejects when any test fails.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  markReporterOutput(process.env.COMPLETION_LAB_TEST_CONSOLE_MARK);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60000, forbidOnly: true });
  const grep = process.env.COMPLETION_LAB_TEST_GREP;
  if (grep) mocha.grep(grep);
  const suiteDir = path.join(__dirname, 'suite');
  const files = fs
    .readdirSync(suiteDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(suiteDir, f));
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The counts go to the runner as a file written before the host is told to exit, so
      // nothing depends on console lines arriving in time.
      const results = process.env.COMPLETION_LAB_TEST_RESULTS;
      if (results) fs.writeFileSync(results, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? failures, pending: runner.stats?.pending ?? 0 }));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else resolve();
    });
  });
}

/**
 * Under code-server the extension host's console reaches the runner only as browser console
 * messages, mixed with the workbench's own logging at the same level. Prefixing each line
 * the reporter prints lets runInCodeServer.mjs forward exactly the tests' output. (mocha's
 * reporters print through Base.consoleLog; the extension host's console object ignores
 * reassignment, so that is the one place to hook.)
 */
function markReporterOutput(mark: string | undefined): void {
  if (!mark) return;
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(mark + line);
  };
}
