// DOM helpers for the panel: elements from text only (never HTML from data), and tables
// whose rows are replaced in place when their data changed.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** A table kept across updates: set() replaces its rows; the element stays where it is. */
export class DataTable {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;

  constructor(cls: string, headers: readonly string[], caption?: string) {
    this.element = el('table', undefined, `data ${cls}`);
    if (caption) this.element.append(el('caption', caption));
    const head = el('thead');
    const tr = el('tr');
    for (const h of headers) {
      const th = el('th', h);
      th.scope = 'col';
      tr.append(th);
    }
    head.append(tr);
    this.body = el('tbody');
    this.element.append(head, this.body);
  }

  /** Each row's cells; `key` (e.g. the profile) goes to the row's data-profile. */
  set(rows: readonly { cells: readonly string[]; key?: string }[]): void {
    this.body.replaceChildren(...rows.map((r) => {
      const tr = el('tr');
      if (r.key !== undefined) tr.dataset['profile'] = r.key;
      for (const c of r.cells) tr.append(el('td', c));
      return tr;
    }));
  }
}

/** Calls `apply` only when `value` differs from the last one given (by its JSON): the DOM is touched only where data changed. */
export function changeGate<T>(apply: (value: T) => void): (value: T) => void {
  let last: string | undefined;
  return (value: T) => {
    const json = JSON.stringify(value) ?? 'undefined';
    if (json === last) return;
    last = json;
    apply(value);
  };
}
