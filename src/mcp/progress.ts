// Progress notifications (`notifications/progress`): a tool reports counts through `Progress`
// (tools/tool.ts); this file decides when a notification goes out and what it says. Coalesced:
// the first as soon as there is progress, then at most one per interval, none after the result.
// And never silent for long: while the call lives, a heartbeat goes out when nothing else did for
// a while, so that a host that gives up on a call without progress keeps waiting for a model that
// thinks without streaming (PROGRESS_HEARTBEAT_MS).
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
  return new ProgressNotifier(token, total, config.progressIntervalMs, notify, clock, config.progressHeartbeatMs);
}

/** Most silence between two notifications while a call lives, unless PROGRESS_HEARTBEAT_MS says otherwise. */
const HEARTBEAT_MS = 15_000;

/**
 * Progress must strictly increase, and the last notification before the result should carry
 * the final count with `total` equal to it, so every client's bar ends full. While the tool
 * works, nobody knows which count is the last: so a notification sent meanwhile holds back the
 * newest unit (it says count − 1), and `complete()` always has a higher count to send.
 *
 * A heartbeat must increase progress too, yet adds nothing to the tool's count: each one moves
 * the position on by a unit of its own (`beats`), and `total`, when known, by the same unit, so
 * that a bar never passes its end. The message is the tool's, asked anew at each notification:
 * it says what is happening, and for how long.
 */
export class ProgressNotifier implements Progress {
  private latest = 0;
  /** Heartbeats sent so far: the position is latest + beats. */
  private beats = 0;
  /** The latest report's; a notification goes out only after a report. */
  private describe: ((count: number) => string) | undefined;
  /** The position last sent; -1 before any, so the first notification may say 0. */
  private lastSent = -1;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: Timer | undefined;
  private heartbeat: Timer | undefined;
  private readonly startedAt: number;
  private stopped = false;

  /** @param total the expected final count while working (e.g. max_tokens), when known */
  constructor(
    private readonly token: ProgressToken,
    private readonly total: number | undefined,
    private readonly intervalMs: number,
    private readonly send: (notification: OutgoingNotification) => void,
    private readonly clock: Clock = systemClock,
    private readonly heartbeatMs: number = HEARTBEAT_MS,
  ) {
    this.startedAt = clock.now();
    this.heartbeat = clock.setTimeout(this.beat, heartbeatMs);
  }

  report(count: number, describe: (count: number) => string): void {
    this.latest = count;
    this.describe = describe;
    if (this.stopped || this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) this.emit(false);
    else this.timer = this.clock.setTimeout(this.flush, wait);
  }

  /** The work is done: sends the final count (total = progress) unless nothing was reported, then stops. */
  complete(): void {
    if (!this.stopped && this.latest + this.beats > 0) this.emit(true);
    this.stop();
  }

  /** No notification is sent after this. */
  stop(): void {
    this.stopped = true;
    this.clock.clear(this.timer);
    this.clock.clear(this.heartbeat);
    this.timer = this.heartbeat = undefined;
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    if (!this.stopped) this.emit(false);
  };

  /** Sends a heartbeat when nothing went out for heartbeatMs (nor since the start), then waits again. */
  private readonly beat = (): void => {
    const quiet = this.clock.now() - Math.max(this.lastSentAt, this.startedAt);
    if (quiet >= this.heartbeatMs && this.describe) {
      this.beats++;
      this.emit(false);
    }
    const since = Math.max(this.lastSentAt, this.startedAt);
    this.heartbeat = this.clock.setTimeout(this.beat, Math.max(1, since + this.heartbeatMs - this.clock.now()));
  };

  private emit(final: boolean): void {
    const position = this.latest + this.beats;
    const progress = final ? position : position - 1;
    if (progress <= this.lastSent || !this.describe) return;
    this.lastSent = progress;
    this.lastSentAt = this.clock.now();
    const total = final ? position : this.total === undefined ? undefined : this.total + this.beats;
    const params = {
      progressToken: this.token,
      progress,
      ...(total === undefined ? {} : { total }),
      // The tool describes its own count, without the heartbeats' units.
      message: this.describe(Math.max(0, progress - this.beats)),
    };
    this.send({ jsonrpc: "2.0", method: "notifications/progress", params });
  }
}
