// Coalesced `notifications/progress`: the first as soon as there is progress, then at most one
// per interval, and none once stopped (after the result).

export type ProgressToken = string | number;

export class ProgressReporter {
  private latest = 0;
  private lastSent = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly prefix: string;
  private readonly suffix: string;

  constructor(
    token: ProgressToken,
    total: number | undefined,
    private readonly intervalMs: number,
    private readonly send: (json: string) => void,
    /** Builds the human-readable message; called only when a notification is sent. */
    private readonly describe: (progress: number) => string,
  ) {
    // The envelope is fixed per call: serialise it once.
    this.prefix = `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":${JSON.stringify(token)},"progress":`;
    this.suffix = total === undefined ? "" : `,"total":${total}`;
  }

  /** Records progress (e.g. tokens so far); cheap enough to call on every token. */
  update(progress: number): void {
    this.latest = progress;
    if (this.stopped || this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.emit();
    else this.timer = setTimeout(this.flush, wait);
  }

  /** No notification is sent after this. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    if (!this.stopped) this.emit();
  };

  private emit(): void {
    // Progress must strictly increase between notifications.
    if (this.latest <= this.lastSent) return;
    this.lastSent = this.latest;
    this.lastSentAt = Date.now();
    const message = JSON.stringify(this.describe(this.latest));
    this.send(`${this.prefix}${this.latest}${this.suffix},"message":${message}}}`);
  }
}
