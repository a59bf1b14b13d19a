// The files the current one imports, from its text alone (no file system): relative
// imports in JavaScript/TypeScript, modules in Python. The host looks the candidates up
// among open documents and its small cache; nothing here reads a file.
import * as path from 'node:path/posix';

/** Lines read for imports: they sit at the top of a file, and the scan runs on every request. */
const MAX_SCAN_CHARS = 16_000;

const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);
const JS_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '/index.ts', '/index.tsx', '/index.js'];

/**
 * Workspace-relative paths that may be the files `currentPath` imports, in the order the
 * imports appear (each import's candidates nearest first). Paths that do not exist are
 * the caller's to drop.
 */
export function importCandidates(text: string, languageId: string, currentPath: string): string[][] {
  const head = text.slice(0, MAX_SCAN_CHARS);
  const dir = path.dirname(currentPath);
  const out: string[][] = [];
  if (JS_LANGUAGES.has(languageId)) {
    for (const m of head.matchAll(/(?:\bfrom\s*|\bimport\s*(?:\(\s*)?|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"\n]+)['"]/g)) {
      const base = path.normalize(path.join(dir, m[1]!.replace(/\.(js|jsx|mjs|cjs)$/, '')));
      if (base.startsWith('..')) continue;
      out.push(JS_EXTENSIONS.map((ext) => base + ext));
    }
  } else if (languageId === 'python') {
    for (const m of head.matchAll(/^[ \t]*(?:from[ \t]+(\.+(?:\w[\w.]*)?|\w[\w.]*)[ \t]+import|import[ \t]+(\w[\w.]*))/gm)) {
      const name = m[1] ?? m[2] ?? '';
      const dots = /^\.*/.exec(name)![0];
      const mod = name.slice(dots.length).replace(/\./g, '/');
      // "from . import x" names the package itself; "from .. import" its parent.
      let roots: string[];
      if (dots.length > 0) {
        let d: string | undefined = dir;
        // Each dot past the first is one package up; past the workspace root is outside it.
        for (let i = 1; i < dots.length && d !== undefined; i++) d = d === '.' ? undefined : path.dirname(d);
        if (d === undefined) continue;
        roots = [d];
      } else {
        // An absolute module is looked for beside the file and at the workspace root.
        roots = dir === '.' ? ['.'] : [dir, '.'];
      }
      const files = roots.flatMap((r) => (mod ? [path.join(r, `${mod}.py`), path.join(r, mod, '__init__.py')] : [path.join(r, '__init__.py')]));
      const inside = files.map((f) => path.normalize(f)).filter((f) => !f.startsWith('..'));
      if (inside.length) out.push(inside);
    }
  }
  return out;
}
