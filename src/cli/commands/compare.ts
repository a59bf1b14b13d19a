// `completion-lab compare`: replay recorded traffic (or a sample of a workspace's files)
// against two or more model profiles and print the comparison report (markdown or JSON).
// Progress goes to stderr. Exit 2: usage (bad flags, fewer than 2 profiles, no cases);
// exit 1: every profile failed; exit 130: cancelled with Ctrl+C (the partial report is printed).
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { casesFromRecordDir, sampleWorkspaceCases, WORKSPACE_CURSORS, type ReplayCase, type WorkspaceCursor } from '../../core/compare/cases';
import { toJson, toMarkdown, type ComparisonReport } from '../../core/compare/report';
import { toCsv, toPublishedTable } from '../../core/compare/publishedTable';
import { DEFAULT_BUDGET_TOKENS, DEFAULT_TTFT_SLO_MS, runComparison, type RunComparisonOptions } from '../../core/compare/runner';
import { DEFAULT_LENGTH_BOUNDS, validateLengthBounds, type LengthBounds } from '../../core/compare/lengthClasses';
import { ProcessVramPoller } from '../../core/gpu/processVram';
import { launchServer, type LaunchedServer, type LaunchSpec } from '../../core/server/launch';
import { GpuSampler } from '../../core/gpu/sampler';
import { fleetMarkdown, type FleetProfileNumbers } from '../../core/prometheus/fleetReport';
import { parseSelector } from '../../core/prometheus/selector';
import { prometheusBaseUrl } from '../../core/prometheus/client';
import { runFleetComparison, type FleetArgs } from './compareFleet';
import { profileLabel, validateProfiles, type ModelProfile } from '../../core/profiles';
import { CliUsageError } from '../usage';
import { parseCommandArgs, showHelp, stringOptions } from '../args';

/** A function, not a constant: the terminal's language is loaded after this module. */
const help = (): string => l10n.t(`Usage: completion-lab compare --profile NAME=URL[,key=value...] --profile ... [options]

Replays completion requests against each profile in turn, exactly as the editor makes
them, and prints a report: latency (TTFT/E2E/TPOT p50/p90/p99), throughput, goodput,
quality against the ground truth (exact first line, edit similarity, brackets balanced),
and server-side /metrics numbers beside them.

  --profile SPEC        NAME=URL[,model=M][,template=T][,maxTokens=N][,temperature=X][,topP=X]
                        [,otherFiles=true] (add snippets of the files a sample imports and
                        of the files beside it: one model with and without them)
                        (two or more; T is auto | prefix-only | a FIM format, e.g. qwen-fim)
  --records DIR         replay recorded traffic from this record directory (needs kept text)
  --workspace DIR       sample cursor positions from this folder's source files
                        (default: the current folder, when --records is not given)
  --cursor WHERE        with --workspace: line-start (default; the truth is that line and the
                        next two) or line-end (the end of the line above, as after typing it:
                        the truth is a line break and those lines)
  --count N             number of cases (default 20)
  --concurrency N[,N..] requests in flight per profile; several levels make a sweep, e.g.
                        1,2,4,8: throughput, TTFT p50/p90 and goodput per level, scaling
                        against the first, and the highest level within the TTFT SLO (default 1)
  --concurrency-search MAX
                        after the last --concurrency level, keep doubling it while its TTFT p90
                        meets the SLO (and nothing failed), up to MAX in flight: finds the
                        highest concurrency within the SLO without guessing the levels
  --length-bounds A,B   prompt-token bounds of the TTFT length classes: short < A,
                        medium A..B, long > B (default 256,1024)
  --seed N              sample and sampling seed (default 1)
  --budget N            prompt token budget (default {0})
  --ttft-slo-ms N       TTFT SLO for goodput (default {1})
  --launch NAME=CMD     start profile NAME's server with this shell command just before its
                        run (stopped after it), so servers start one after another; the
                        report gets its load time (spawn -> /health 200), time to the first
                        completed request and VRAM after load (with --gpu)
  --engine NAME=MODEL   the same with the embedded engine: MODEL is a .gguf file or "tiny",
                        served on the port of NAME's URL
  --warmup N            uncounted requests to each profile before its measured run, to keep
                        a server's cold start out of the numbers (default 1)
  --format F            what to print: markdown (default, the full report), json (versioned:
                        schemaVersion), csv (one row per profile), table (the published-table
                        view: one row per model, the columns model comparisons publish)
  --json                same as --format json
  --gpu                 sample this machine's GPU (nvidia-smi, amd-smi or rocm-smi) and report
                        VRAM and utilisation per profile (run it on the GPU box); with
                        nvidia-smi, each profile's own server processes' memory (found by
                        the endpoint's port) beside the card's
  --out FILE            also write the report to FILE (JSON for .json, CSV for .csv, else markdown)

Shared GPU server or cluster (Prometheus scraping vLLM's /metrics and NVIDIA's dcgm-exporter):
  --prometheus URL      read each profile's fleet numbers over its window from this Prometheus:
                        requests served per replica (instance/pod), server TTFT, GPU
                        utilisation, VRAM and power (DCGM), the load generator's overhead.
                        Each profile then waits for a scrape at both edges of its window.
  --selector SEL        label matchers of a profile's replicas (and GPUs), as in PromQL, e.g.
                        '{namespace="llm", pod=~"vllm-.*"}'. Once for every profile, or once
                        per --profile in the same order. Default: every vLLM series.
  --gpu-selector SEL    label matchers of the GPUs when they differ (same rule as --selector)

An API key, if the servers need one, is read from the COMPLETION_LAB_API_KEY environment variable.`, DEFAULT_BUDGET_TOKENS, DEFAULT_TTFT_SLO_MS);

interface CompareArgs {
  profiles: ModelProfile[];
  records?: string;
  workspace?: string;
  cursor: WorkspaceCursor;
  count: number;
  concurrency: number[];
  concurrencySearchMax?: number;
  lengthBounds: LengthBounds;
  warmup: number;
  seed: number;
  budget: number;
  ttftSloMs: number;
  format: ReportFormat;
  gpu: boolean;
  /** Profile name -> how to start its server. */
  launch: Map<string, LaunchSpec>;
  out?: string;
  fleet?: FleetArgs;
}

const SPEC_KEYS = new Set(['model', 'template', 'maxTokens', 'temperature', 'topP', 'otherFiles']);

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
    else if (key === 'otherFiles') {
      if (value !== 'true' && value !== 'false') bad(`otherFiles must be true or false, got "${value}".`);
      raw[key] = value === 'true';
    } else {
      const n = Number(value);
      if (!value || !Number.isFinite(n)) bad(`${key} must be a number, got "${value}".`);
      raw[key] = n;
    }
  }
  const { profiles, errors } = validateProfiles([raw]);
  // The error without the label naming the profile ("Profile 1 ("a"): "): --profile names it already.
  const label = profileLabel(0, raw);
  const error = errors[0] ?? 'invalid.';
  if (errors.length || !profiles[0]) bad(error.startsWith(label) ? error.slice(label.length).replace(/^[:：]\s*/, '') : error);
  return profiles[0]!;
}

function parse(args: string[]): CompareArgs | 'help' {
  const values: Record<string, string | boolean | string[] | undefined> = parseCommandArgs('compare', args, {
    help: { type: 'boolean', short: 'h' },
    profile: { type: 'string', multiple: true },
    ...stringOptions('records', 'workspace', 'cursor', 'count', 'concurrency', 'concurrency-search', 'warmup', 'seed', 'budget', 'ttft-slo-ms', 'length-bounds'),
    json: { type: 'boolean' },
    format: { type: 'string' },
    launch: { type: 'string', multiple: true },
    engine: { type: 'string', multiple: true },
    gpu: { type: 'boolean' },
    out: { type: 'string' },
    prometheus: { type: 'string' },
    selector: { type: 'string', multiple: true },
    'gpu-selector': { type: 'string', multiple: true },
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
  const cursor = (values['cursor'] as string | undefined) ?? 'line-start';
  if (!(WORKSPACE_CURSORS as readonly string[]).includes(cursor)) throw new CliUsageError(`--cursor must be ${WORKSPACE_CURSORS.join(' or ')}, got "${cursor}".`);
  if (values['cursor'] !== undefined && values['records'] !== undefined) throw new CliUsageError('--cursor applies to --workspace samples; recorded cases keep the cursor the developer had.');
  const out: CompareArgs = {
    profiles,
    cursor: cursor as WorkspaceCursor,
    count: int('count', 1, 20),
    concurrency: intList('concurrency', values['concurrency'], [1]),
    lengthBounds: DEFAULT_LENGTH_BOUNDS,
    warmup: int('warmup', 0, 1),
    seed: int('seed', 0, 1),
    budget: int('budget', 16, DEFAULT_BUDGET_TOKENS),
    ttftSloMs: int('ttft-slo-ms', 1, DEFAULT_TTFT_SLO_MS),
    format: reportFormat(values['format'], values['json'] === true),
    gpu: values['gpu'] === true,
    launch: launchSpecs(profiles, (values['launch'] as string[] | undefined) ?? [], (values['engine'] as string[] | undefined) ?? []),
  };
  if (values['length-bounds'] !== undefined) {
    try {
      out.lengthBounds = validateLengthBounds(intList('length-bounds', values['length-bounds'], []));
    } catch (err) {
      throw new CliUsageError(`--length-bounds: ${(err as Error).message}`);
    }
  }
  if (values['concurrency-search'] !== undefined) {
    const max = int('concurrency-search', 2, 0);
    const last = out.concurrency[out.concurrency.length - 1]!;
    if (max <= last) throw new CliUsageError(`--concurrency-search ${max} must be above the last --concurrency level (${last}): the search doubles from there.`);
    out.concurrencySearchMax = max;
  }
  if (typeof values['records'] === 'string') out.records = values['records'];
  if (typeof values['workspace'] === 'string') out.workspace = values['workspace'];
  if (typeof values['out'] === 'string') out.out = values['out'];
  const fleet = parseFleetArgs(values, profiles.length);
  if (fleet) out.fleet = fleet;
  return out;
}

/** --launch NAME=CMD and --engine NAME=MODEL, each naming a given profile once. */
function launchSpecs(profiles: readonly ModelProfile[], launches: string[], engines: string[]): Map<string, LaunchSpec> {
  const out = new Map<string, LaunchSpec>();
  const take = (flag: string, spec: string): [ModelProfile, string] => {
    const eq = spec.indexOf('=');
    const name = eq > 0 ? spec.slice(0, eq) : '';
    const rest = spec.slice(eq + 1).trim();
    const profile = profiles.find((p) => p.name === name);
    if (!profile || !rest) throw new CliUsageError(`--${flag} "${spec}": expected NAME=${flag === 'launch' ? 'COMMAND' : 'MODEL'} with NAME one of the --profile names (${profiles.map((p) => p.name).join(', ')}).`);
    if (out.has(name)) throw new CliUsageError(`profile "${name}" is given two ways to start its server; give one --launch or --engine per profile.`);
    return [profile, rest];
  };
  for (const spec of launches) {
    const [p, command] = take('launch', spec);
    out.set(p.name, { command, how: command, endpoint: p.endpoint });
  }
  for (const spec of engines) {
    const [p, model] = take('engine', spec);
    const port = new URL(p.endpoint).port;
    if (!port) throw new CliUsageError(`--engine ${p.name}: its URL ${p.endpoint} names no port for the engine to listen on.`);
    if (model !== 'tiny' && !fs.existsSync(model)) throw new CliUsageError(`--engine ${p.name}: GGUF file not found: ${model}.`);
    const argv = [process.execPath, engineCli(), 'serve', ...(model === 'tiny' ? ['--tiny'] : ['--model', model]), '--port', port];
    out.set(p.name, { argv, how: `embedded engine (${model === 'tiny' ? 'tiny test model' : path.basename(model)})`, endpoint: p.endpoint });
  }
  return out;
}

/** The built CLI that serves the engine: beside this bundle (dist/cli.js), or dist/ from a compiled checkout. */
function engineCli(): string {
  const candidates = [path.join(__dirname, 'cli.js'), path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new CliUsageError(`--engine needs the built CLI (dist/cli.js); run \`npm run build\` first.`);
  return found;
}

type ReportFormat = 'markdown' | 'json' | 'csv' | 'table';
const FORMATS: readonly ReportFormat[] = ['markdown', 'json', 'csv', 'table'];

function reportFormat(v: unknown, json: boolean): ReportFormat {
  if (v === undefined) return json ? 'json' : 'markdown';
  if (!FORMATS.includes(v as ReportFormat)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}, got "${String(v)}".`);
  if (json && v !== 'json') throw new CliUsageError(`--json and --format ${String(v)} disagree; give one.`);
  return v as ReportFormat;
}

function render(report: ComparisonReport, format: ReportFormat): string {
  if (format === 'json') return toJson(report) + '\n';
  if (format === 'csv') return toCsv(report);
  if (format === 'table') return toPublishedTable(report);
  return toMarkdown(report);
}

/** "1,2,4" -> [1, 2, 4]: whole numbers of at least 1. */
function intList(name: string, v: unknown, dflt: number[]): number[] {
  if (v === undefined) return dflt;
  const parts = String(v).split(',').map((x) => x.trim());
  const nums = parts.map(Number);
  if (!parts.length || nums.some((n, i) => !parts[i] || !Number.isInteger(n) || n < 1)) throw new CliUsageError(`--${name} must be whole numbers of at least 1, separated by commas (e.g. 1,2,4,8), got "${String(v)}".`);
  return nums;
}

function startServer(spec: LaunchSpec | undefined): Promise<LaunchedServer | undefined> {
  if (!spec) return Promise.resolve(undefined);
  process.stderr.write(`compare: starting ${spec.how} for ${spec.endpoint}\n`);
  return launchServer(spec).then((s) => {
    process.stderr.write(`compare: ready after ${((s.readyAt - s.spawnedAt) / 1000).toFixed(1)} s\n`);
    return s;
  });
}

/** --prometheus, --selector, --gpu-selector: checked here, so a typo stops before any request. */
function parseFleetArgs(values: Record<string, string | boolean | string[] | undefined>, profiles: number): FleetArgs | undefined {
  const url = values['prometheus'];
  const perProfile = (flag: string): string[] | undefined => {
    const given = values[flag] as string[] | undefined;
    if (!given) return undefined;
    if (typeof url !== 'string') throw new CliUsageError(`--${flag} needs --prometheus URL (the Prometheus that scrapes the servers).`);
    if (given.length !== 1 && given.length !== profiles) throw new CliUsageError(`give --${flag} once for every profile or once per --profile (${profiles}), not ${given.length} times.`);
    for (const sel of given) {
      try {
        parseSelector(sel);
      } catch (err) {
        throw new CliUsageError(`--${flag}: ${(err as Error).message}`);
      }
    }
    return given.length === 1 ? Array<string>(profiles).fill(given[0]!) : given;
  };
  const selectors = perProfile('selector');
  const gpuSelectors = perProfile('gpu-selector');
  if (typeof url !== 'string') return undefined;
  try {
    prometheusBaseUrl(url);
  } catch (err) {
    throw new CliUsageError(`--prometheus: ${(err as Error).message}`);
  }
  return { url, selectors: selectors ?? Array<string>(profiles).fill(''), ...(gpuSelectors ? { gpuSelectors } : {}) };
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
  const cases = await sampleWorkspaceCases(dir, { count: a.count, seed: a.seed, cursor: a.cursor });
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
  if (showHelp(a, help())) return 0;
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
  const processVram = a.gpu ? new ProcessVramPoller({ intervalMs: 500 }) : undefined;
  let report: ComparisonReport;
  let fleet: FleetProfileNumbers[] | undefined;
  try {
    const options: RunComparisonOptions = {
      cases,
      profiles: a.profiles,
      concurrency: a.concurrency,
      ...(a.concurrencySearchMax ? { concurrencySearch: { max: a.concurrencySearchMax } } : {}),
      lengthBounds: a.lengthBounds,
      warmupRequests: a.warmup,
      budgetTokens: a.budget,
      seed: a.seed,
      ttftSloMs: a.ttftSloMs,
      signal: controller.signal,
      ...(sampler ? { gpuSampler: sampler } : {}),
      ...(processVram ? { processVram } : {}),
      ...(a.launch.size ? { launch: (p) => startServer(a.launch.get(p.name)) } : {}),
      ...(apiKey ? { apiKeyFor: () => apiKey } : {}),
      onProgress: (done, total, cur) => process.stderr.write(`compare: ${done}/${total} ${cur.profile}${(a.concurrency.length > 1 || a.concurrencySearchMax) && cur.concurrency ? ` x${cur.concurrency}` : ''}${cur.caseId ? ` ${cur.caseId}` : ''}\n`),
    };
    if (a.fleet) ({ report, fleet } = await runFleetComparison(options, a.fleet, (line) => process.stderr.write(line + '\n')));
    else report = await runComparison(options);
  } finally {
    process.off('SIGINT', onSigint);
    if (sampler?.state.kind === 'no-gpu-tool') process.stderr.write(`compare: ${sampler.state.message ?? 'no GPU tool found'}\n`);
    sampler?.dispose();
  }
  for (const p of report.profiles) {
    if (p.status === 'failed') process.stderr.write(`compare: profile "${p.name}" failed: ${p.error}\n`);
    // In the report too, but the JSON form shows them to nobody.
    for (const w of p.warnings ?? []) process.stderr.write(`compare: warning: ${w}\n`);
  }
  // The fleet numbers (with --prometheus) go into the JSON and Markdown forms.
  const rendered = (format: ReportFormat): string => {
    if (format === 'json' && fleet) return JSON.stringify({ ...report, fleet: { prometheus: a.fleet!.url, profiles: fleet } }, null, 2) + '\n';
    if (format === 'markdown' && fleet) return render(report, format) + fleetMarkdown(a.fleet!.url, fleet);
    return render(report, format);
  };
  process.stdout.write(rendered(a.format));
  if (a.out) {
    const lower = a.out.toLowerCase();
    const body = rendered(lower.endsWith('.json') ? 'json' : lower.endsWith('.csv') ? 'csv' : 'markdown');
    try {
      fs.writeFileSync(a.out, body);
    } catch (err) {
      throw new CliUsageError(`cannot write ${a.out}: ${(err as Error).message}`, 1);
    }
  }
  if (report.cancelled) return 130;
  return report.profiles.every((p) => p.status === 'failed') ? 1 : 0;
}
