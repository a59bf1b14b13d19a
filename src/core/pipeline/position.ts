// 1-based line/column (as editors and compilers print them) -> offset into the text.

export interface Position1 {
  /** 1-based line number. */
  line: number;
  /** 1-based column in UTF-16 code units; lineLength + 1 is the end of the line. */
  column: number;
}

export class PositionError extends Error {
  override readonly name = 'PositionError';
}

export function offsetAt(text: string, pos: Position1): number {
  if (!Number.isInteger(pos.line) || pos.line < 1) throw new PositionError(`line ${pos.line} is out of range: lines start at 1.`);
  let start = 0;
  for (let l = 1; l < pos.line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      const lines = l;
      throw new PositionError(`line ${pos.line} is out of range: the file has ${lines} line${lines === 1 ? '' : 's'}.`);
    }
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  let end = nl === -1 ? text.length : nl;
  if (end > start && text[end - 1] === '\r') end--;
  const length = end - start;
  if (pos.column < 1 || pos.column > length + 1) {
    throw new PositionError(`column ${pos.column} is out of range on line ${pos.line}: it has ${length} character${length === 1 ? '' : 's'}, so columns 1 to ${length + 1} are valid.`);
  }
  return start + pos.column - 1;
}
