// Progress notifications (`notifications/progress`): a tool reports counts through `Progress`
// (tools/tool.ts); this file decides when a notification goes out and writes its envelope. Coalesced: the first
// as soon as there is progress, then at most one per interval, none after the result.
import { systemClock, type Clock, type Timer } from "../clock.js";
import type { Progress } from "../tools/tool.js";

type ProgressToken = string | number;

/**
 * Progress must strictly increase, and the last notification before the result should carry
 * the final count with `total` equal to it, so every client's bar ends full. While the tool
 * works, nobody knows which count is the last: so a notification sent meanwhile holds back the
 * newest unit (it says count − 1), and `complete()` always has a higher count to send.
 */
export class ProgressNotifier implements Progress {
  private latest = 0;
  /** The latest report's; a notification goes out only after a report. */
  private describe!: (count: number) => string;
  /** The count last sent; -1 before any, so the first notification may say 0. */
  private lastSent = -1;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: Timer | undefined;
  private stopped = false;
  private readonly prefix: string;
  private readonly suffix: string;

  /** @param total the expected final count while working (e.g. max_tokens), when known */
  constructor(
    token: ProgressToken,
    total: number | undefined,
    private readonly intervalMs: number,
    private readonly send: (json: string) => void,
    private readonly clock: Clock = systemClock,
  ) {
    // The envelope is fixed per call: serialise it once.
    this.prefix = `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":${JSON.stringify(token)},"progress":`;
    this.suffix = total === undefined ? "" : `,"total":${total}`;
  }

  report(count: number, describe: (count: number) => string): void {
    this.latest = count;
    this.describe = describe;
    if (this.stopped || this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) this.emit(count - 1, this.suffix);
    else this.timer = this.clock.setTimeout(this.flush, wait);
  }

  /** The work is done: sends the final count (total = progress) unless nothing was reported, then stops. */
  complete(): void {
    if (!this.stopped && this.latest > 0) this.emit(this.latest, `,"total":${this.latest}`);
    this.stop();
  }

  /** No notification is sent after this. */
  stop(): void {
    this.stopped = true;
    this.clock.clear(this.timer);
    this.timer = undefined;
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    if (!this.stopped) this.emit(this.latest - 1, this.suffix);
  };

  private emit(progress: number, totalJson: string): void {
    if (progress <= this.lastSent) return;
    this.lastSent = progress;
    this.lastSentAt = this.clock.now();
    const message = JSON.stringify(this.describe(progress));
    this.send(`${this.prefix}${progress}${totalJson},"message":${message}}}`);
  }
}
