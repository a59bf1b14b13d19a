// `completion-lab compare`: replay recorded traffic (or a sample of a workspace's files)
// against two or more model profiles and print the comparison report (markdown or JSON).
// Progress goes to stderr. Exit 2: usage (bad flags, fewer than 2 profiles, no cases);
// exit 1: every profile failed; exit 130: cancelled with Ctrl+C (the partial report is printed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { casesFromRecordDir, sampleWorkspaceCases, type ReplayCase } from '../../core/compare/cases';
import { toJson, toMarkdown } from '../../core/compare/report';
import { DEFAULT_BUDGET_TOKENS, DEFAULT_TTFT_SLO_MS, runComparison } from '../../core/compare/runner';
import { GpuSampler } from '../../core/gpu/sampler';
import { validateProfiles, type ModelProfile } from '../../core/profiles';
import { CliUsageError } from '../usage';
import { parseCommandArgs, showHelp, stringOptions } from '../args';

const HELP = `Usage: completion-lab compare --profile NAME=URL[,key=value...] --profile ... [options]

Replays completion requests against each profile in turn, exactly as the editor makes
them, and prints a report: latency (TTFT/E2E/TPOT p50/p90/p99), throughput, goodput,
quality against the ground truth (exact first line, edit similarity, brackets balanced),
and server-side /metrics numbers beside them.

  --profile SPEC        NAME=URL[,model=M][,template=T][,maxTokens=N][,temperature=X][,topP=X]
                        (two or more; T is auto | prefix-only | a FIM format, e.g. qwen-fim)
  --records DIR         replay recorded traffic from this record directory (needs kept text)
  --workspace DIR       sample cursor positions from this folder's source files
                        (default: the current folder, when --records is not given)
  --count N             number of cases (default 20)
  --concurrency N       requests in flight per profile (default 1)
  --seed N              sample and sampling seed (default 1)
  --budget N            prompt token budget (default ${DEFAULT_BUDGET_TOKENS})
  --ttft-slo-ms N       TTFT SLO for goodput (default ${DEFAULT_TTFT_SLO_MS})
  --warmup N            uncounted requests to each profile before its measured run, to keep
                        a server's cold start out of the numbers (default 1)
  --json                print the report as JSON instead of markdown
  --gpu                 sample this machine's GPU (nvidia-smi, amd-smi or rocm-smi) and report
                        VRAM and utilisation per profile (run it on the GPU box)
  --out FILE            also write the report to FILE (JSON if FILE ends in .json, else markdown)

An API key, if the servers need one, is read from the COMPLETION_LAB_API_KEY environment variable.`;

interface CompareArgs {
  profiles: ModelProfile[];
  records?: string;
  workspace?: string;
  count: number;
  concurrency: number;
  warmup: number;
  seed: number;
  budget: number;
  ttftSloMs: number;
  json: boolean;
  gpu: boolean;
  out?: string;
}

const SPEC_KEYS = new Set(['model', 'template', 'maxTokens', 'temperature', 'topP']);

/** NAME=URL[,key=value...] -> a raw profile object, validated like the setting is. */
export function parseProfileSpec(spec: string): ModelProfile {
  const eq = spec.indexOf('=');
  const bad = (why: string): never => {
    throw new CliUsageError(`--profile "${spec}": ${why} Expected NAME=URL[,model=M][,template=T][,maxTokens=N].`);
  };
  if (eq <= 0) bad('missing NAME=.');
  const name = spec.slice(0, eq).trim();
  const [url, ...pairs] = spec.slice(eq + 1).split(',');
  if (!url || !url.trim()) bad('missing the URL.');
  const raw: Record<string, unknown> = { name, endpoint: url!.trim() };
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    const key = i > 0 ? pair.slice(0, i).trim() : '';
    const value = i > 0 ? pair.slice(i + 1).trim() : '';
    if (!SPEC_KEYS.has(key)) bad(`unknown key "${key || pair}" (known: ${[...SPEC_KEYS].join(', ')}).`);
    if (key === 'model' || key === 'template') raw[key] = value;
    else {
      const n = Number(value);
      if (!value || !Number.isFinite(n)) bad(`${key} must be a number, got "${value}".`);
      raw[key] = n;
    }
  }
  const { profiles, errors } = validateProfiles([raw]);
  if (errors.length || !profiles[0]) bad((errors[0] ?? 'invalid.').replace(/^Profile 1( \("[^"]*"\))?: /, ''));
  return profiles[0]!;
}

function parse(args: string[]): CompareArgs | 'help' {
  const values: Record<string, string | boolean | string[] | undefined> = parseCommandArgs('compare', args, {
    help: { type: 'boolean', short: 'h' },
    profile: { type: 'string', multiple: true },
    ...stringOptions('records', 'workspace', 'count', 'concurrency', 'warmup', 'seed', 'budget', 'ttft-slo-ms'),
    json: { type: 'boolean' },
    gpu: { type: 'boolean' },
    out: { type: 'string' },
  });
  if (values['help']) return 'help';
  const int = (name: string, min: number, dflt: number): number => {
    const v = values[name];
    if (v === undefined) return dflt;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new CliUsageError(`--${name} must be a whole number of at least ${min}, got "${String(v)}".`);
    return n;
  };
  const specs = (values['profile'] as string[] | undefined) ?? [];
  if (specs.length < 2) throw new CliUsageError(`compare needs at least 2 --profile NAME=URL options, got ${specs.length}. Run \`completion-lab compare --help\`.`);
  const profiles = specs.map(parseProfileSpec);
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.name)) throw new CliUsageError(`two profiles are named "${p.name}"; give each --profile a unique NAME.`);
    names.add(p.name);
  }
  if (values['records'] !== undefined && values['workspace'] !== undefined) throw new CliUsageError('give either --records or --workspace, not both.');
  const out: CompareArgs = {
    profiles,
    count: int('count', 1, 20),
    concurrency: int('concurrency', 1, 1),
    warmup: int('warmup', 0, 1),
    seed: int('seed', 0, 1),
    budget: int('budget', 16, DEFAULT_BUDGET_TOKENS),
    ttftSloMs: int('ttft-slo-ms', 1, DEFAULT_TTFT_SLO_MS),
    json: values['json'] === true,
    gpu: values['gpu'] === true,
  };
  if (typeof values['records'] === 'string') out.records = values['records'];
  if (typeof values['workspace'] === 'string') out.workspace = values['workspace'];
  if (typeof values['out'] === 'string') out.out = values['out'];
  return out;
}

async function loadCases(a: CompareArgs): Promise<ReplayCase[]> {
  if (a.records !== undefined) {
    if (!isDir(a.records)) throw new CliUsageError(`--records ${a.records} is not a folder.`);
    const { cases, records } = await casesFromRecordDir(a.records, { limit: a.count });
    if (!cases.length) {
      throw new CliUsageError(`no cases found: ${a.records} has ${records} records, none with prompt text and kept text. Record some editor traffic first, or use --workspace DIR.`);
    }
    return cases;
  }
  const dir = a.workspace ?? process.cwd();
  if (!isDir(dir)) throw new CliUsageError(`--workspace ${dir} is not a folder.`);
  const cases = await sampleWorkspaceCases(dir, { count: a.count, seed: a.seed });
  if (!cases.length) throw new CliUsageError(`no cases found: ${path.resolve(dir)} has no source files with at least 6 lines. Point --workspace at a code folder.`);
  return cases;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export async function run(args: string[]): Promise<number> {
  const a = parse(args);
  if (showHelp(a, HELP)) return 0;
  const cases = await loadCases(a);
  const apiKey = process.env['COMPLETION_LAB_API_KEY'] || undefined;
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\ncompare: cancelling (the partial report follows)...\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  process.stderr.write(`compare: ${cases.length} ${cases[0]!.source} cases x ${a.profiles.length} profiles\n`);
  const sampler = a.gpu ? new GpuSampler({ intervalMs: 250 }) : undefined;
  let report;
  try {
    report = await runComparison({
      cases,
      profiles: a.profiles,
      concurrency: a.concurrency,
      warmupRequests: a.warmup,
      budgetTokens: a.budget,
      seed: a.seed,
      ttftSloMs: a.ttftSloMs,
      signal: controller.signal,
      ...(sampler ? { gpuSampler: sampler } : {}),
      ...(apiKey ? { apiKeyFor: () => apiKey } : {}),
      onProgress: (done, total, cur) => process.stderr.write(`compare: ${done}/${total} ${cur.profile}${cur.caseId ? ` ${cur.caseId}` : ''}\n`),
    });
  } finally {
    process.off('SIGINT', onSigint);
    if (sampler?.state.kind === 'no-gpu-tool') process.stderr.write(`compare: ${sampler.state.message ?? 'no GPU tool found'}\n`);
    sampler?.dispose();
  }
  for (const p of report.profiles) if (p.status === 'failed') process.stderr.write(`compare: profile "${p.name}" failed: ${p.error}\n`);
  const text = a.json ? toJson(report) + '\n' : toMarkdown(report);
  process.stdout.write(text);
  if (a.out) {
    const body = a.out.toLowerCase().endsWith('.json') ? toJson(report) + '\n' : toMarkdown(report);
    try {
      fs.writeFileSync(a.out, body);
    } catch (err) {
      throw new CliUsageError(`cannot write ${a.out}: ${(err as Error).message}`, 1);
    }
  }
  if (report.cancelled) return 130;
  return report.profiles.every((p) => p.status === 'failed') ? 1 : 0;
}
