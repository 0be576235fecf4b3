// The state of one durable call and the rules it follows, apart from the Durable Object that
// hosts it (durable-call.ts), so that they run in unit tests with a fake clock and storage.
//
// What is stored: the task's status and times, who owns it (a hash of the key), the progress
// token, the answer's text so far (call-text.ts: saved a second at most after it arrived, so a
// call lost to a restart keeps it) and how the call ended (its result, at most MAX_RESULT_BYTES;
// apart from the record, read only for a snapshot, never to list the call). Never the key, never
// the arguments. Followers (a held-open tasks/result, a client waiting out the short window,
// get_completion's wait) get progress and the end as events.
import type { Clock, Timer } from "../clock.js";
import { keptWithin, MAX_RESULT_BYTES, type CallToolResult } from "../tool-result.js";
import { CallText, SAVE_TEXT_MS, type TextStorage } from "./call-text.js";
import {
  isTerminal,
  type CallEvent,
  type StoredCall,
  type TaskOutcome,
  type TaskSnapshot,
  type TaskStatus,
  type TaskSummary,
} from "./task.js";

/** The little of Durable Object storage a call needs (synchronous, as SQLite-backed storage is). */
export interface CallStorage extends TextStorage {
  read(): StoredCall | undefined;
  write(call: StoredCall): void;
  /** How the call ended, kept apart from the record (up to a whole answer). */
  readOutcome(): TaskOutcome | undefined;
  writeOutcome(outcome: TaskOutcome): void;
  /** Deletes everything the call stored. */
  erase(): Promise<void>;
  /** Wakes the object at `at` (an alarm), replacing any earlier one. */
  wakeAt(at: number): Promise<void>;
}

/** How often a client should poll a working task. */
const POLL_INTERVAL_MS = 2000;
/**
 * How often a working call's object wakes to check it is still alive. A restart loses the call
 * running in memory; the first wake-up after it marks the task failed, so no task says
 * "working" forever.
 */
export const HEARTBEAT_MS = 30_000;

/** Said when a call was lost because its object restarted (a deploy, a crash). */
export const LOST_CALL_MESSAGE =
  "The server restarted while this answer was being written (a deploy or an outage), so the call was lost. " +
  "The text received until a second before the restart is kept; start the call again for a complete answer.";

/** Progress arrives as a tool reports it (the tools' Progress contract, which it meets as is). */
export class CallState {
  private call: StoredCall | undefined;
  /** An ended call's outcome, once read or written (read only when a snapshot needs it). */
  private outcome: TaskOutcome | undefined;
  private readonly followers = new Set<(event: CallEvent) => void>();
  private count = 0;
  private describe: ((count: number) => string) | undefined;
  private readonly text: CallText;
  private saveTimer: Timer | undefined;
  private progressTimer: Timer | undefined;
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private refreshTimer: Timer | undefined;

  /**
   * @param refreshMs while the call is followed, its words are sent again after this long without
   *   progress: a silent model's "thinking (hidden) · 2m 40s" keeps counting for the follower's
   *   heartbeats (mcp/progress.ts), which repeat the latest words they were given.
   */
  constructor(
    private readonly storage: CallStorage,
    private readonly clock: Clock,
    private readonly progressIntervalMs: number,
    private readonly refreshMs = 7_500,
  ) {
    this.call = storage.read();
    this.text = new CallText(storage);
  }

  /** The stored call, when there is one and `owner` owns it: anyone else is told nothing. */
  ownedBy(owner: string): StoredCall | undefined {
    return this.call?.owner === owner ? this.call : undefined;
  }

  /** Records a new working call and arms the heartbeat; returns its first snapshot. */
  async begin(
    order: { taskId: string; owner: string; retentionMs: number; progressToken?: string | number; model: string },
    firstMessage: string,
  ): Promise<TaskSnapshot> {
    const now = this.clock.now();
    this.call = {
      taskId: order.taskId,
      owner: order.owner,
      status: "working",
      statusMessage: firstMessage,
      createdAt: now,
      lastUpdatedAt: now,
      retentionMs: order.retentionMs,
      ...(order.progressToken === undefined ? {} : { progressToken: order.progressToken }),
      model: order.model,
    };
    this.storage.write(this.call);
    await this.storage.wakeAt(now + HEARTBEAT_MS);
    return this.snapshot(false);
  }

  /** The call as a snapshot; with `withPartial`, a working call includes the answer so far. */
  snapshot(withPartial: boolean): TaskSnapshot {
    const call = this.call!;
    const snapshot: TaskSnapshot = { ...this.summary(), model: call.model };
    const outcome = isTerminal(call.status) ? (this.outcome ??= this.storage.readOutcome()) : undefined;
    if (outcome) snapshot.outcome = outcome;
    if (call.progressToken !== undefined) snapshot.progressToken = call.progressToken;
    if (withPartial && call.status === "working")
      snapshot.partial = this.text.kept(this.count) ?? { text: "", tokens: 0 };
    return snapshot;
  }

  /** The call as a list shows it: its status and times, never its outcome. */
  summary(): TaskSummary {
    const call = this.call!;
    const now = this.clock.now();
    const working = call.status === "working";
    return {
      taskId: call.taskId,
      status: call.status,
      statusMessage: working && this.describe ? this.describe(this.count) : call.statusMessage,
      createdAt: call.createdAt,
      lastUpdatedAt: working && this.count > 0 ? Math.max(call.lastUpdatedAt, now) : call.lastUpdatedAt,
      // Kept for retentionMs after the end; while working, at least that long from now.
      ttlMs: (call.endedAt ?? now) - call.createdAt + call.retentionMs,
      pollIntervalMs: POLL_INTERVAL_MS,
    };
  }

  /** How much longer the call is kept: its retention after its end; while it works, at least that long. */
  keptForMs(): number {
    const call = this.call!;
    const now = this.clock.now();
    return Math.max(0, (call.endedAt ?? now) + call.retentionMs - now);
  }

  // Progress, as the tool reports it while it works (see mcp/progress.ts).
  report(count: number, describe: (count: number) => string): void {
    this.count = count;
    this.describe = describe;
    if (this.followers.size > 0 && this.progressTimer === undefined) {
      this.progressTimer = this.clock.setTimeout(() => {
        this.progressTimer = undefined;
        this.emitProgress();
      }, this.progressIntervalMs);
    }
  }

  /** A piece of the answer's text, as it streams: saved within SAVE_TEXT_MS. */
  append(text: string): void {
    this.text.append(text);
    if (this.saveTimer === undefined && this.text.unsaved())
      this.saveTimer = this.clock.setTimeout(this.saveText, SAVE_TEXT_MS);
  }

  /**
   * The call ended with a result, unless it was cancelled meanwhile (a cancelled task stays
   * cancelled): completed with an answer, failed with a tool error (one word for one outcome,
   * whichever way the call is asked about; only 2026-07-28's tasks word it otherwise: mcp/tasks.ts).
   * The result is kept within MAX_RESULT_BYTES, its text cut past that.
   */
  async finish(result: CallToolResult, summary: string): Promise<void> {
    if (this.call?.status !== "working") return;
    const kept = keptWithin(result, MAX_RESULT_BYTES);
    await this.end(result.isError ? "failed" : "completed", summary, { kind: "result", result: kept });
  }

  /** Cancels a working call, keeping the text written until then; false when it had already ended. */
  async cancel(message: string): Promise<boolean> {
    if (this.call?.status !== "working") return false;
    await this.end("cancelled", message, { kind: "cancelled", ...this.keptText() });
    return true;
  }

  /** Marks a working call failed (the server could not finish it), keeping the text until then, if any. */
  async fail(message: string): Promise<void> {
    if (this.call?.status !== "working") return;
    await this.end("failed", message, { kind: "failed", message, ...this.keptText() });
  }

  /**
   * A heartbeat or the retention's end. `running` says whether this object is running the call:
   * a working call nobody runs was lost to a restart, and fails (keeping the text saved).
   * Returns true when the call's storage was erased.
   */
  async wake(running: boolean): Promise<boolean> {
    const call = this.call;
    if (!call) {
      await this.storage.erase();
      return true;
    }
    const now = this.clock.now();
    if (call.status === "working") {
      if (running) await this.storage.wakeAt(now + HEARTBEAT_MS);
      else await this.fail(LOST_CALL_MESSAGE);
      return false;
    }
    if (now >= (call.endedAt ?? call.lastUpdatedAt) + call.retentionMs) return this.discard();
    await this.storage.wakeAt((call.endedAt ?? call.lastUpdatedAt) + call.retentionMs);
    return false;
  }

  /** Forgets an ended call at once: its storage is erased. Returns false (and keeps it) while it works. */
  async discard(): Promise<boolean> {
    if (this.call?.status === "working") return false;
    this.call = this.outcome = undefined;
    await this.storage.erase();
    return true;
  }

  /** Calls `listener` with every event until it returns; the end event is the last. */
  follow(listener: (event: CallEvent) => void): () => void {
    if (this.call && isTerminal(this.call.status)) {
      listener({ kind: "end", snapshot: this.snapshot(false) });
      return () => {};
    }
    this.followers.add(listener);
    this.refreshTimer ??= this.clock.setTimeout(this.refresh, this.refreshMs);
    return () => {
      this.followers.delete(listener);
      if (this.followers.size === 0) {
        this.clock.clear(this.refreshTimer);
        this.refreshTimer = undefined;
      }
    };
  }

  private keptText(): { kept?: NonNullable<ReturnType<CallText["kept"]>> } {
    const kept = this.text.kept(this.count || (this.call?.savedTokens ?? 0));
    return kept ? { kept } : {};
  }

  private emitProgress(): void {
    if (this.call?.status !== "working" || !this.describe) return;
    this.lastProgressAt = this.clock.now();
    this.emit({ kind: "progress", count: this.count, message: this.describe(this.count) });
  }

  /** Sends the words again when none went out for refreshMs, while anyone follows. */
  private readonly refresh = (): void => {
    if (this.clock.now() - this.lastProgressAt >= this.refreshMs) this.emitProgress();
    // Nothing said yet (no words to say): wait a whole period again.
    const due = Number.isFinite(this.lastProgressAt) ? this.lastProgressAt + this.refreshMs - this.clock.now() : 0;
    this.refreshTimer =
      this.followers.size > 0 && this.call?.status === "working"
        ? this.clock.setTimeout(this.refresh, due > 0 ? due : this.refreshMs)
        : undefined;
  };

  /** Saves the text that came since the last save, and the count and words with it in the record. */
  private readonly saveText = (): void => {
    this.saveTimer = undefined;
    const call = this.call;
    if (call?.status !== "working") return;
    this.text.save();
    call.savedTokens = this.count;
    call.lastUpdatedAt = this.clock.now();
    if (this.describe) call.statusMessage = this.describe(this.count);
    this.storage.write(call);
  };

  private async end(status: TaskStatus, statusMessage: string, outcome: TaskOutcome): Promise<void> {
    const call = this.call!;
    const now = this.clock.now();
    call.status = status;
    call.statusMessage = statusMessage;
    call.lastUpdatedAt = call.endedAt = now;
    delete call.savedTokens;
    // The record and the outcome keep what the end needs (the text so far is in the outcome): the pieces go.
    this.outcome = outcome;
    this.storage.writeOutcome(outcome);
    this.storage.write(call);
    this.text.drop();
    this.clock.clear(this.saveTimer);
    this.clock.clear(this.progressTimer);
    this.clock.clear(this.refreshTimer);
    this.saveTimer = this.progressTimer = this.refreshTimer = undefined;
    await this.storage.wakeAt(now + call.retentionMs);
    // The final count first, so that a follower's progress ends where the call did: only an
    // answer ends full (mcp/progress.ts).
    if (this.describe && status === "completed")
      this.emit({ kind: "progress", count: this.count, message: this.describe(this.count) });
    this.emit({ kind: "end", snapshot: this.snapshot(false) });
    this.followers.clear();
  }

  private emit(event: CallEvent): void {
    for (const follower of this.followers) follower(event);
  }
}
