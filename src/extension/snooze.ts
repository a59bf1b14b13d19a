// "Off for 30 minutes": a snooze that ends on time by itself (a timer, not a check on the
// next keystroke, so the status bar turns back on its own) and survives a window reload
// within its window (kept in globalState as the epoch ms it ends).
import * as vscode from 'vscode';
import { Disposable } from './dispose';

const KEY = 'completionLab.snoozeUntil';
/** setTimeout's limit; longer snoozes re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Snooze extends Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when a snooze starts, ends on time, or is cancelled. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    super();
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.arm();
  }

  /** Epoch ms the current snooze ends, or undefined when not snoozed. */
  get until(): number | undefined {
    const v = this.state.get<number>(KEY);
    return typeof v === 'number' && v > Date.now() ? v : undefined;
  }

  async start(minutes: number): Promise<number> {
    const until = Date.now() + Math.max(0, minutes) * 60_000;
    await this.state.update(KEY, until);
    this.arm();
    this.changed.fire();
    return until;
  }

  async end(): Promise<void> {
    await this.state.update(KEY, undefined);
    this.arm();
    this.changed.fire();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const until = this.until;
    if (until === undefined) {
      if (this.state.get(KEY) !== undefined) void this.state.update(KEY, undefined);
      return;
    }
    this.timer = setTimeout(() => {
      if (this.until === undefined) void this.end();
      else this.arm();
    }, Math.min(MAX_TIMER_MS, until - Date.now() + 1));
  }
}
