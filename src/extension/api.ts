// What activate() returns: a small read-only view for tests and other extensions.
import type * as vscode from 'vscode';
import type { CompletionRecord } from '../core/store/record';
import { askedProfiles } from '../core/trust/workspaceAsk';
import { config } from './config';
import type { HostTiming, HostTimingSnapshot } from './hostTiming';
import type { RecordStore } from '../core/store/recordStore';
import { statusMenuEntries } from './controls';
import type { LiveStats } from './liveStats';
import type { CompletionProvider } from './provider';
import type { Snooze } from './snooze';
import type { StatusBar } from './statusBar';
import type { WorkerContextBuilder } from './workerContext';
import type { MenuEntry } from './controls';
import { logSince, logWritten } from './log';
import type { PanelModel } from './panelModel';
import type { PanelState } from '../protocol';

export interface CompletionLabApi {
  /** Every stored record (patches merged), after flushing pending writes. */
  records(): Promise<CompletionRecord[]>;
  /** The folder the records are written to. */
  storeDir(): string;
  /** The status bar item's text and tooltip as last drawn, and the commands its tooltip may run. */
  status(): { text: string; tooltip: string; enabledCommands: readonly string[] | boolean } | undefined;
  /** Requests that reached the server, completions answered from the typing-through cache, and calls declined because completions are off there. */
  counters(): { requests: number; cacheHits: number; declined: number };
  /** The entries the status bar menu would show now. */
  statusMenu(): MenuEntry[];
  /** Activation time and the longest event-loop block of the extension host since then. */
  hostTiming(): HostTimingSnapshot;
  /** Whether this workspace's own model settings are in use: user-only, confirmed, or withheld (and why). */
  workspaceSettings(): { kind: 'user-only' | 'confirmed' | 'withheld'; why?: 'unconfirmed' | 'untrusted'; endpoints: string[] };
  /** What the profiling panel is sent now (its per-replica view included). */
  panelState(): Promise<PanelState>;
  /** How many lines the "Completion Lab" log has had written: a mark for logSince(). */
  logWritten(): number;
  /** The log's lines written after a logWritten() mark, oldest first, as `[level] message`. */
  logSince(mark: number): string[];
}

/** The status item as the test API reports it: text, tooltip source and the commands the tooltip may run. */
export function statusView(current: { text: string } | undefined, md: vscode.MarkdownString | undefined): ReturnType<CompletionLabApi['status']> {
  if (!current || !md) return undefined;
  const trusted = md.isTrusted;
  return { text: current.text, tooltip: md.value, enabledCommands: trusted === undefined ? false : typeof trusted === 'boolean' ? trusted : trusted.enabledCommands };
}

export function workspaceSettingsView(): ReturnType<CompletionLabApi['workspaceSettings']> {
  const d = config.trust();
  return d.kind === 'withheld' ? { kind: d.kind, why: d.why, endpoints: askedProfiles(d.ask).map((p) => p.endpoint) } : { kind: d.kind, endpoints: [] };
}

/** The API activate() returns, read from the parts it names. */
export function buildApi(p: { store: RecordStore; statusBar: StatusBar; provider: CompletionProvider; snooze: Snooze; stats: LiveStats; timing: HostTiming; contextBuilder: WorkerContextBuilder; panel: PanelModel }): CompletionLabApi {
  return {
    records: async () => { await p.store.flush(); return (await p.store.readAll()).records; },
    storeDir: () => p.store.dir,
    status: () => statusView(p.statusBar.current, p.statusBar.currentTooltip),
    counters: () => ({ requests: p.provider.requests, cacheHits: p.provider.cacheHits, declined: p.provider.declined }),
    statusMenu: () => statusMenuEntries({ snooze: p.snooze, stats: p.stats }),
    hostTiming: () => p.timing.snapshot(p.contextBuilder.built),
    workspaceSettings: workspaceSettingsView,
    panelState: () => p.panel.state(false),
    logWritten,
    logSince,
  };
}
