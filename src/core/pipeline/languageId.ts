// VS Code language ids from file names, for callers without an editor (CLI, workspace
// samples) so post-processing picks the same block rules the editor would.
import * as path from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  '.py': 'python', '.pyi': 'python', '.pyx': 'cython',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.java': 'java', '.go': 'go', '.rs': 'rust', '.c': 'c', '.h': 'c',
  '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.cs': 'csharp',
  '.rb': 'ruby', '.php': 'php', '.kt': 'kotlin', '.kts': 'kotlin', '.swift': 'swift', '.scala': 'scala',
  '.dart': 'dart', '.json': 'json', '.jsonc': 'jsonc', '.yaml': 'yaml', '.yml': 'yaml',
  '.css': 'css', '.scss': 'scss', '.less': 'less', '.html': 'html', '.vue': 'vue',
  '.sh': 'shellscript', '.bash': 'shellscript', '.lua': 'lua', '.md': 'markdown', '.sql': 'sql',
  '.nim': 'nim', '.zig': 'zig', '.sol': 'solidity', '.r': 'r', '.jl': 'julia',
};

export function languageIdForFile(file: string): string {
  return BY_EXTENSION[path.extname(file).toLowerCase()] ?? 'plaintext';
}
