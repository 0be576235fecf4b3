// What one model is doing while its answer streams, in words for progress: waiting for its first
// token, thinking (shown or hidden), writing, drawing or speaking, and for how long a silence has
// lasted. Read from the call's clock when a message is written, so a heartbeat sent after a long
// silence says how long it has been.
import type { Clock } from "../clock.js";

/** A silence this long (or longer) is worth saying, as "quiet 25s". */
const QUIET_MS = 10_000;

type Phase = "waiting" | "hidden" | "thinking" | "writing" | "speaking";

export class ModelStatus {
  /** Units of progress so far: pieces of text, reasoning and audio, and images. */
  units = 0;
  private phase: Phase = "waiting";
  private readonly startedAt: number;
  /**
   * When a message last saw the count change: a silence is timed from there. Noted when a message
   * is written (at most one per progress interval, and every heartbeat), not per token, which
   * would read the clock thousands of times an answer for a figure only messages show.
   */
  private seenUnits = 0;
  private seenAt: number;
  private images = 0;
  private ended: "done" | "failed" | undefined;
  /** The pieces the latest words come from: the answer's, its reasoning's or its transcript's. */
  private recent: readonly string[] = [];

  constructor(
    readonly model: string,
    private readonly clock: Clock,
    /** The call asked for images: until one comes, the model is making it. */
    private readonly drawing = false,
  ) {
    this.startedAt = this.seenAt = clock.now();
  }

  /** OpenRouter's processing comment: the model works, and shows nothing of it yet. */
  comment(): void {
    if (this.phase === "waiting") this.phase = "hidden";
  }

  text(pieces: readonly string[]): void {
    this.unit("writing", pieces);
  }

  reasoning(pieces: readonly string[]): void {
    // Reasoning that comes once the answer has begun does not turn the answer back into thinking.
    this.unit(this.phase === "writing" ? "writing" : "thinking", this.phase === "writing" ? this.recent : pieces);
  }

  image(): void {
    this.images++;
    this.unit("writing", this.recent);
  }

  speech(transcript: readonly string[]): void {
    this.unit("speaking", transcript);
  }

  end(failed: boolean): void {
    this.ended = failed ? "failed" : "done";
  }

  /** For a call with one model: "model · thinking · 120 tokens · …latest words", and how long a silence has lasted. */
  line(count: number): string {
    const now = this.look();
    if (this.phase === "waiting" || this.phase === "hidden") {
      const what = this.phase === "waiting" ? "waiting for the first token" : "thinking (hidden)";
      return `${this.model} · ${what} · ${duration(now - this.startedAt)}`;
    }
    const doing =
      this.phase === "thinking"
        ? " · thinking"
        : this.phase === "speaking"
          ? " · speaking"
          : this.images > 0
            ? ` · ${this.images} image(s) received`
            : this.drawing
              ? " · making an image"
              : "";
    const quiet = now - this.seenAt >= QUIET_MS ? ` · quiet ${duration(now - this.seenAt)}` : "";
    return `${this.model}${doing} · ${count} token${count === 1 ? "" : "s"}${quiet} · ${tail(this.recent)}`;
  }

  /** For one model of several: "gpt-5: writing 412", "gemini: thinking (hidden) 40s", "claude: done". */
  brief(name: string): string {
    if (this.ended) return `${name}: ${this.ended}`;
    const now = this.look();
    if (this.phase === "waiting") return `${name}: waiting ${duration(now - this.startedAt)}`;
    if (this.phase === "hidden") return `${name}: thinking (hidden) ${duration(now - this.startedAt)}`;
    const quiet = now - this.seenAt >= QUIET_MS ? ` (quiet ${duration(now - this.seenAt)})` : "";
    return `${name}: ${this.phase} ${this.units}${quiet}`;
  }

  private unit(phase: Phase, recent: readonly string[]): void {
    this.units++;
    this.phase = phase;
    this.recent = recent;
  }

  /** The time now, noting it as the last activity when the count moved since the last look. */
  private look(): number {
    const now = this.clock.now();
    if (this.units !== this.seenUnits) {
      this.seenUnits = this.units;
      this.seenAt = now;
    }
    return now;
  }
}

/** "40s", "2m 40s", "1h 5m". */
function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** The latest words, about 60 characters, on one line. */
function tail(pieces: readonly string[]): string {
  let text = "";
  for (let i = pieces.length - 1; i >= 0 && text.length < 60; i--) text = pieces[i] + text;
  text = text.replace(/\s+/g, " ").trim();
  return text.length > 60 ? `…${text.slice(-60)}` : text;
}
