// Cuts streamed text at the first stop string, vLLM style: the stop string itself is not
// returned, and text that could still become a stop string is held back until it can't.

export interface StopPush {
  /** Text that is safe to send now. */
  emit: string;
  /** The stop string that ended the text, or null. */
  stopped: string | null;
}

export class StopStringFilter {
  private held = '';
  private readonly stops: string[];

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  push(text: string): StopPush {
    const buf = this.held + text;
    let at = -1;
    let stopped: string | null = null;
    for (const s of this.stops) {
      const i = buf.indexOf(s);
      if (i !== -1 && (at === -1 || i < at)) {
        at = i;
        stopped = s;
      }
    }
    if (stopped !== null) {
      this.held = '';
      return { emit: buf.slice(0, at), stopped };
    }
    // Hold back the longest tail that is the start of some stop string.
    let keep = 0;
    for (const s of this.stops) {
      for (let k = Math.min(s.length - 1, buf.length); k > keep; k--) {
        if (buf.endsWith(s.slice(0, k))) {
          keep = k;
          break;
        }
      }
    }
    this.held = buf.slice(buf.length - keep);
    return { emit: buf.slice(0, buf.length - keep), stopped: null };
  }

  /** At the end of generation, the held-back text was not a stop string after all. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
