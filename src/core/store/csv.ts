// RFC 4180 CSV: a field with a comma, quote, CR or LF is quoted, quotes doubled. Records are
// flattened one level (gpu.vramPeakMiB -> gpu_vramPeakMiB) so spreadsheets get flat columns.
// Recorded text comes from any repository: a text cell that a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or CR; OWASP's list) gets a leading apostrophe.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function flatten(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) out[`${k}_${k2}`] = v2;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Columns: `preferred` first (those present), then any other key in first-seen order. */
export function toCsv(rows: readonly Record<string, unknown>[], preferred: readonly string[] = []): string {
  const flat = rows.map(flatten);
  const seen = new Set<string>();
  for (const r of flat) for (const k of Object.keys(r)) seen.add(k);
  const columns = [...preferred.filter((c) => seen.has(c)), ...[...seen].filter((c) => !preferred.includes(c))];
  const lines = [columns.map(csvField).join(',')];
  for (const r of flat) lines.push(columns.map((c) => csvField(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
