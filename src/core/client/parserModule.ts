// eventsource-parser is ESM-only; this project compiles to CommonJS (VS Code's extension
// host), so it is loaded once with a dynamic import. Callers await it before t0, so the
// load never lands inside a timing.
type EventSourceParserModule = typeof import('eventsource-parser', { with: { 'resolution-mode': 'import' } });

let loading: Promise<EventSourceParserModule> | undefined;

export function loadEventSourceParser(): Promise<EventSourceParserModule> {
  loading ??= import('eventsource-parser');
  return loading;
}
