// Saved comparison reports: the newest is shown again when the panel opens after a restart.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ComparisonReport } from '../core/compare';

export async function readLatestReport(dir: string): Promise<{ report: ComparisonReport; markdownPath: string } | undefined> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => /^comparison-.*\.json$/.test(n)).sort();
  } catch {
    return undefined; // no report yet
  }
  for (const name of names.reverse()) {
    try {
      const report = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as ComparisonReport;
      if (Array.isArray(report.profiles)) return { report, markdownPath: path.join(dir, name.replace(/\.json$/, '.md')) };
    } catch {
      // A damaged report is skipped; an older one is shown instead.
    }
  }
  return undefined;
}
