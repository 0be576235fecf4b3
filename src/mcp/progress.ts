// Progress notifications (`notifications/progress`): a tool reports counts through `Progress`
// (tools/tool.ts); this file decides when a notification goes out and what it says. Coalesced:
// the first as soon as there is progress, then at most one per interval, none after the result.
//
// A notification is an object, serialised by the transport like every message: at most one goes
// out per PROGRESS_INTERVAL_MS, so serialising it ahead would save nothing a call can see.
import { systemClock, type Clock, type Timer } from "../clock.js";
import type { Config } from "../config.js";
import type { Progress } from "../tools/tool.js";
import type { OutgoingNotification } from "./jsonrpc.js";

type ProgressToken = string | number;

/**
 * The notifier for a request that sent a progress token, when its response can carry
 * notifications (`notify`: the response streams over SSE); undefined otherwise.
 */
export function progressNotifier(
  token: ProgressToken | undefined,
  total: number | undefined,
  notify: ((notification: OutgoingNotification) => void) | undefined,
  { config, clock }: { config: Config; clock: Clock },
): ProgressNotifier | undefined {
  if (token === undefined || !notify) return undefined;
  return new ProgressNotifier(token, total, config.progressIntervalMs, notify, clock);
}

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

  /** @param total the expected final count while working (e.g. max_tokens), when known */
  constructor(
    private readonly token: ProgressToken,
    private readonly total: number | undefined,
    private readonly intervalMs: number,
    private readonly send: (notification: OutgoingNotification) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  report(count: number, describe: (count: number) => string): void {
    this.latest = count;
    this.describe = describe;
    if (this.stopped || this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) this.emit(count - 1, this.total);
    else this.timer = this.clock.setTimeout(this.flush, wait);
  }

  /** The work is done: sends the final count (total = progress) unless nothing was reported, then stops. */
  complete(): void {
    if (!this.stopped && this.latest > 0) this.emit(this.latest, this.latest);
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
    if (!this.stopped) this.emit(this.latest - 1, this.total);
  };

  private emit(progress: number, total: number | undefined): void {
    if (progress <= this.lastSent) return;
    this.lastSent = progress;
    this.lastSentAt = this.clock.now();
    const params = {
      progressToken: this.token,
      progress,
      ...(total === undefined ? {} : { total }),
      message: this.describe(progress),
    };
    this.send({ jsonrpc: "2.0", method: "notifications/progress", params });
  }
}
