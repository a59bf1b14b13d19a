// What the user is told about the record store's write trouble. While records are being
// dropped (a full disk, a write error, a queue that a stalled disk does not empty) the
// status bar shows a warning with the count so far; once writes succeed again the warning
// clears, and how many records this window lost stays in the status bar's tooltip, so a gap
// in the recorded data is never silent. The log says each run once, at its start and end.
import * as l10n from '@vscode/l10n';
import { Emitter } from '../lifecycle/emitter';
import type { Disposable } from '../lifecycle/disposable';
import type { RecordStoreOptions } from './recordStore';

export interface HealthLog {
  warn(message: string): void;
  info(message: string): void;
}

export class StoreHealth {
  private readonly changed = new Emitter<void>();
  /** The store's message for the run of failures going on now. */
  private failing: string | undefined;
  private droppedTotal = 0;
  /** The total when the current run started: the run's own count is the difference. */
  private droppedBeforeRun = 0;

  constructor(private readonly log: HealthLog) {}

  /** Fires when the problem or the count changes (the status bar redraws at most once a second). */
  readonly onDidChange = (listener: () => void): Disposable => this.changed.on(listener);

  /** The callbacks a RecordStore reports through (pass them to its constructor). */
  readonly storeCallbacks: Required<Pick<RecordStoreOptions, 'onProblem' | 'onRecovered' | 'onDropped'>> = {
    onProblem: (message) => {
      this.failing = message;
      this.droppedBeforeRun = this.droppedTotal;
      this.log.warn(message);
      this.changed.emit();
    },
    onRecovered: () => {
      this.failing = undefined;
      this.log.info(l10n.t('Recorded completions are being written again ({0} dropped meanwhile).', this.droppedTotal - this.droppedBeforeRun));
      this.changed.emit();
    },
    onDropped: (total) => {
      this.droppedTotal = total;
      this.changed.emit();
    },
  };

  /** Records dropped in this window so far. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** The ongoing trouble with its count, for the status bar's warning; undefined when writes succeed. */
  get problem(): string | undefined {
    return this.failing && `${this.failing} ${l10n.t('Recorded completions dropped so far: {0}.', this.droppedTotal - this.droppedBeforeRun)}`;
  }

  /** Once writes succeed again: how many records this window lost (kept in the tooltip). */
  get note(): string | undefined {
    if (this.failing || this.droppedTotal === 0) return undefined;
    return l10n.t('Recorded completions that could not be written in this window and were dropped: {0}. Writing has resumed (the log says why).', this.droppedTotal);
  }
}
