// "Does the file still parse after inserting the completion?" with real tree-sitter
// grammars compiled to WebAssembly (no native build, same bytes on every platform):
// the runtime and most grammars from @vscode/tree-sitter-wasm (the package VS Code itself
// uses), the grammars it lacks (C, Kotlin, Swift, Scala, Lua, ...) from tree-sitter-wasms.
// Loading is async (once per grammar); parsing is then synchronous and fast, so scoring
// stays a pure function of its inputs. Where no grammar exists, quality.ts keeps its
// bracket heuristic.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';

type Source = 'vscode' | 'wasms';

/** VS Code language id -> grammar file (and which package has it). */
const GRAMMARS: Record<string, { file: string; from: Source }> = {
  python: { file: 'tree-sitter-python.wasm', from: 'vscode' },
  javascript: { file: 'tree-sitter-javascript.wasm', from: 'vscode' },
  javascriptreact: { file: 'tree-sitter-javascript.wasm', from: 'vscode' },
  typescript: { file: 'tree-sitter-typescript.wasm', from: 'vscode' },
  typescriptreact: { file: 'tree-sitter-tsx.wasm', from: 'vscode' },
  go: { file: 'tree-sitter-go.wasm', from: 'vscode' },
  rust: { file: 'tree-sitter-rust.wasm', from: 'vscode' },
  java: { file: 'tree-sitter-java.wasm', from: 'vscode' },
  cpp: { file: 'tree-sitter-cpp.wasm', from: 'vscode' },
  csharp: { file: 'tree-sitter-c-sharp.wasm', from: 'vscode' },
  ruby: { file: 'tree-sitter-ruby.wasm', from: 'vscode' },
  shellscript: { file: 'tree-sitter-bash.wasm', from: 'vscode' },
  css: { file: 'tree-sitter-css.wasm', from: 'vscode' },
  c: { file: 'tree-sitter-c.wasm', from: 'wasms' },
  kotlin: { file: 'tree-sitter-kotlin.wasm', from: 'wasms' },
  swift: { file: 'tree-sitter-swift.wasm', from: 'wasms' },
  scala: { file: 'tree-sitter-scala.wasm', from: 'wasms' },
  lua: { file: 'tree-sitter-lua.wasm', from: 'wasms' },
};

export function hasGrammar(languageId: string): boolean {
  return languageId in GRAMMARS;
}

/**
 * Where the wasm files are: the npm packages when installed (development, the CLI from a
 * clone), else `tree-sitter/vscode` and `tree-sitter/wasms` beside the bundle (a packaged
 * extension ships them there).
 */
export function grammarDirs(bundleDir: string = __dirname): Record<Source, string> {
  const pkg = (name: string, sub: string, shipped: string): string => {
    try {
      return path.join(path.dirname(require.resolve(`${name}/package.json`)), sub);
    } catch {
      return path.join(bundleDir, 'tree-sitter', shipped);
    }
  };
  return { vscode: pkg('@vscode/tree-sitter-wasm', 'wasm', 'vscode'), wasms: pkg('tree-sitter-wasms', 'out', 'wasms') };
}

export interface ParseResult {
  /** The document parses without an error or missing node. */
  ok: boolean;
}

/** Loads grammars on demand (prepare) and answers parses() synchronously afterwards. */
export class ParseChecker {
  private mod: typeof TreeSitter | undefined;
  private readonly parsers = new Map<string, TreeSitter.Parser | null>();
  /** Why a language has no parser (missing files, load error), for the report. */
  readonly problems = new Map<string, string>();

  constructor(private readonly dirs: Record<Source, string> = grammarDirs()) {}

  /** Loads the runtime and the grammars of these languages (those with none are skipped). */
  async prepare(languageIds: Iterable<string>): Promise<void> {
    for (const id of new Set(languageIds)) {
      if (this.parsers.has(id) || !hasGrammar(id)) continue;
      const g = GRAMMARS[id]!;
      const file = path.join(this.dirs[g.from], g.file);
      try {
        if (!fs.existsSync(file)) throw new Error(`${file} is missing`);
        const mod = await this.runtime();
        const parser = new mod.Parser();
        parser.setLanguage(await mod.Language.load(file));
        this.parsers.set(id, parser);
      } catch (err) {
        this.parsers.set(id, null);
        this.problems.set(id, `tree-sitter grammar for ${id} not loaded: ${(err as Error).message}`);
      }
    }
  }

  /** Whether `languageId` has a loaded grammar (prepare first). */
  ready(languageId: string): boolean {
    return Boolean(this.parsers.get(languageId));
  }

  /** undefined when no grammar is loaded for the language. */
  parses(languageId: string, text: string): boolean | undefined {
    const parser = this.parsers.get(languageId);
    if (!parser) return undefined;
    const tree = parser.parse(text);
    if (!tree) return undefined;
    try {
      return !tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  private async runtime(): Promise<typeof TreeSitter> {
    if (!this.mod) {
      // Lazy: the 200 KB runtime loads only when a comparison scores code.
      const mod = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
      const runtimeWasm = path.join(this.dirs.vscode, 'tree-sitter.wasm');
      await mod.Parser.init({ locateFile: () => runtimeWasm });
      this.mod = mod;
    }
    return this.mod;
  }
}
