// `completion-lab complete`: one completion at a file position, through the same pipeline
// as the editor (profile -> context -> streaming client -> post-processing), printed as
// one JSON object. Exit 2: usage (bad flag, missing file, position out of range);
// exit 1: the server (unreachable, error answer).
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import { ClientError } from '../../core/client/errors';
import { listModels, pickServedModel } from '../../core/client/models';
import { DEFAULT_TOTAL_TIMEOUT_MS } from '../../core/client/stream';
import { ContextError } from '../../core/context/buildContext';
import { completeAt, resolveFor } from '../../core/pipeline/completeAt';
import { languageIdForFile } from '../../core/pipeline/languageId';
import { offsetAt, PositionError } from '../../core/pipeline/position';
import { TEMPLATE_CHOICES, type ModelProfile, type TemplateChoice } from '../../core/profiles/types';
import { CliUsageError } from '../usage';
import { parseCommandArgs, showHelp, stringOptions } from '../args';

/** A function, not a constant: the terminal's language is loaded after this module. */
const help = (): string => l10n.t(`Usage: completion-lab complete --endpoint URL --file F --line L --column C [options]

Runs one completion at a position in a file, exactly as the editor would, and prints one
JSON object: {text, raw, model, template, promptTokens, truncated: {prefixLines, suffixLines},
timings: {ttftMs, e2eMs, tpotMs, decodeTokensPerSec, outputTokens}, finishReason, warnings}.
"text" is what would be shown (null: nothing worth showing), "raw" what the server sent.

  --endpoint URL        server base URL, with or without /v1 (e.g. http://127.0.0.1:8000)
  --model NAME          served model name (optional when the server serves exactly one)
  --file F              the source file
  --line L              cursor line, 1-based (the first line is 1)
  --column C            cursor column, 1-based (1 = before the first character;
                        line length + 1 = end of the line)
  --template T          auto | prefix-only | qwen-fim | starcoder2-fim | deepseek-fim |
                        codellama-fim | codestral-fim | codegemma-fim | custom
                        (default auto: from the model's name)
  --custom-template S   with --template custom: the prompt, with {prefix} and {suffix}
  --max-tokens N        most tokens to generate (default 64)
  --temperature X       sampling temperature (default 0.6 for DeepSeek-R1-Distill, else 0.2)
  --top-p X             nucleus sampling (default 0.95)
  --budget N            prompt token budget (default 1536; also capped by max_model_len)
  --language ID         VS Code language id (default: from the file's extension)
  --single-line         show at most one line
  --seed N              sampling seed (for repeatable runs)
  --timeout-ms N        give up when the whole completion takes longer (default 120000);
                        no first token within 120000 ms also gives up

An API key, if the server needs one, is read from the COMPLETION_LAB_API_KEY environment variable.`);

interface CompleteArgs {
  endpoint: string;
  model?: string;
  file: string;
  line: number;
  column: number;
  template: TemplateChoice;
  customTemplate?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  budget: number;
  language?: string;
  singleLine: boolean;
  seed?: number;
  timeoutMs?: number;
}

function parse(args: string[]): CompleteArgs | 'help' {
  const values: Record<string, string | boolean | string[] | undefined> = parseCommandArgs('complete', args, {
    help: { type: 'boolean', short: 'h' },
    ...stringOptions('endpoint', 'model', 'file', 'line', 'column', 'template', 'custom-template', 'max-tokens', 'temperature', 'top-p', 'budget', 'language'),
    'single-line': { type: 'boolean' },
    seed: { type: 'string' },
    'timeout-ms': { type: 'string' },
  });
  if (values['help']) return 'help';
  const need = (name: string): string => {
    const v = values[name];
    if (typeof v !== 'string' || !v) throw new CliUsageError(`--${name} is required. Run \`completion-lab complete --help\`.`);
    return v;
  };
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new CliUsageError(`--${name} must be a whole number of at least ${min}, got "${v}".`);
    return n;
  };
  const num = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (!v.trim() || !Number.isFinite(n) || n < min || n > max) throw new CliUsageError(`--${name} must be a number from ${min} to ${max}, got "${v}".`);
    return n;
  };
  const endpoint = need('endpoint');
  if (!/^https?:\/\//i.test(endpoint)) throw new CliUsageError(`--endpoint "${endpoint}" must start with http:// or https://.`);
  const template = (values['template'] as string | undefined) ?? 'auto';
  if (!(TEMPLATE_CHOICES as readonly string[]).includes(template)) throw new CliUsageError(`--template must be one of ${TEMPLATE_CHOICES.join(', ')}, got "${template}".`);
  const out: CompleteArgs = {
    endpoint,
    file: need('file'),
    line: int('line', need('line'), 1),
    column: int('column', need('column'), 1),
    template: template as TemplateChoice,
    budget: values['budget'] !== undefined ? int('budget', values['budget'] as string, 16) : 1536,
    singleLine: values['single-line'] === true,
  };
  if (typeof values['model'] === 'string' && values['model']) out.model = values['model'];
  if (typeof values['custom-template'] === 'string') out.customTemplate = values['custom-template'];
  if (template === 'custom' && !out.customTemplate?.includes('{prefix}')) throw new CliUsageError('--template custom needs --custom-template with {prefix} in it (and optionally {suffix}).');
  if (typeof values['max-tokens'] === 'string') out.maxTokens = int('max-tokens', values['max-tokens'], 1);
  if (typeof values['temperature'] === 'string') out.temperature = num('temperature', values['temperature'], 0, 2);
  if (typeof values['top-p'] === 'string') out.topP = num('top-p', values['top-p'], 0.000001, 1);
  if (typeof values['language'] === 'string') out.language = values['language'];
  if (typeof values['seed'] === 'string') out.seed = int('seed', values['seed'], 0);
  if (typeof values['timeout-ms'] === 'string') out.timeoutMs = int('timeout-ms', values['timeout-ms'], 1);
  return out;
}

export async function run(args: string[]): Promise<number> {
  const a = parse(args);
  if (showHelp(a, help())) return 0;
  let text: string;
  try {
    text = fs.readFileSync(a.file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliUsageError(code === 'ENOENT' ? `file not found: ${a.file}` : code === 'EISDIR' ? `${a.file} is a folder, not a file.` : `cannot read ${a.file}: ${(err as Error).message}`);
  }
  let offset: number;
  try {
    offset = offsetAt(text, { line: a.line, column: a.column });
  } catch (err) {
    if (err instanceof PositionError) throw new CliUsageError(`${a.file}: ${err.message}`);
    throw err;
  }
  const apiKey = process.env['COMPLETION_LAB_API_KEY'] || undefined;

  try {
    const models = await listModels(a.endpoint, { timeoutMs: 15_000, ...(apiKey ? { apiKey } : {}) });
    const served = pickServedModel(models, a.model, a.endpoint, '--model');
    const profile: ModelProfile = { name: 'cli', endpoint: a.endpoint, model: served.id, template: a.template };
    if (a.customTemplate !== undefined) profile.customTemplate = a.customTemplate;
    if (a.maxTokens !== undefined) profile.maxTokens = a.maxTokens;
    if (a.temperature !== undefined) profile.temperature = a.temperature;
    if (a.topP !== undefined) profile.topP = a.topP;

    const out = await completeAt({
      text,
      offset,
      languageId: a.language ?? languageIdForFile(a.file),
      resolved: resolveFor(profile, served),
      budgetTokens: a.budget,
      multiline: !a.singleLine,
      ...(apiKey ? { apiKey } : {}),
      ...(a.seed !== undefined ? { seed: a.seed } : {}),
      firstTokenTimeoutMs: 120_000,
      totalTimeoutMs: a.timeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
    });
    const t = out.result.timings;
    const json = {
      text: out.text ?? null,
      raw: out.raw,
      model: out.effective.model,
      template: out.effective.template,
      promptTokens: out.context.promptTokens,
      serverPromptTokens: out.result.usage?.promptTokens ?? null,
      truncated: { prefixLines: out.context.truncatedPrefixLines, suffixLines: out.context.truncatedSuffixLines },
      timings: {
        ttftMs: t.ttftMs ?? null,
        e2eMs: t.e2eMs ?? null,
        tpotMs: t.tpotMs ?? null,
        decodeTokensPerSec: t.decodeTokensPerSec ?? null,
        outputTokens: t.outputTokens ?? null,
      },
      finishReason: out.result.finishReason,
      warnings: out.warnings,
    };
    // Also on stderr: a warning only in the JSON is easy to miss (a FIM-trained model
    // silently prompted prefix-only scores far below what it can do).
    for (const w of out.warnings) process.stderr.write(`completion-lab complete: warning: ${w}\n`);
    process.stdout.write(JSON.stringify(json) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof ClientError) throw new CliUsageError(err.message, 1);
    if (err instanceof ContextError) throw new CliUsageError(err.message, 2);
    throw err;
  }
}
