// The Durable Object that runs one durable call (a task, or a background completion): it starts
// the upstream request, relays it exactly as the stateless path does, keeps the status, stores
// the final result, and deletes everything when the retention ends (an alarm).
//
// What keeps it alive with no client connected: the call's promise is handed to ctx.waitUntil,
// which (since compatibility date 2026-10-01) keeps a Durable Object running until it settles,
// and an alarm every 30 s while it works. A restart (a deploy, a crash) still ends it: the next
// alarm, or the next request, finds a "working" task this object does not run and marks it
// failed, keeping the text saved until then.
import { DurableObject } from "cloudflare:workers";
import { systemClock, type Clock } from "../clock.js";
import { logUnexpected } from "../log.js";
import { readConfig, type Config } from "../config.js";
import { durableBindings, ledgerObject } from "./bindings.js";
import { CallImages, type ServedImage } from "./call-images.js";
import type { Cancellation } from "./calls.js";
import { eventStream } from "./events.js";
import { CallState, LOST_CALL_MESSAGE } from "./call-state.js";
import type { CallToolResult } from "../tool-result.js";
import {
  shortened,
  summaryOf,
  type CallOrder,
  type StoredCall,
  type TaskOutcome,
  type TaskSnapshot,
  type TaskSummary,
} from "./task.js";

const STORED_CALL = "call";
/** How the call ended (call-state.ts), apart from the record: up to a whole answer. */
const STORED_OUTCOME = "outcome";
/** The answer's text so far, saved in pieces (call-text.ts): "text:000000", "text:000001", … in order. */
const TEXT_PIECE = "text:";

/** What a call's object hands the work it runs: where progress and the answer's text go. */
export interface JobContext {
  config: Config;
  signal: AbortSignal;
  progress: { report(count: number, describe: (count: number) => string): void; append(text: string): void };
  /** Keeps each image the model makes, whole, for the call's retention (call-images.ts). */
  keepImage: (dataUrl: string) => void;
  clock: Clock;
}

/**
 * The object, less the work it runs: src/index.ts completes it with the tools (a lower layer
 * cannot import them), as the class wrangler.toml names.
 */
export abstract class DurableCallObject extends DurableObject<Env> {
  private readonly state: CallState;
  private readonly images: CallImages;
  /** Set while this object runs the call: aborting it stops the upstream request. */
  private running: AbortController | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.state = new CallState(
      {
        read: () => ctx.storage.kv.get<StoredCall>(STORED_CALL),
        write: (call) => ctx.storage.kv.put(STORED_CALL, call),
        // A record written before the outcome was kept apart holds it itself (until its retention ends).
        readOutcome: () =>
          ctx.storage.kv.get<TaskOutcome>(STORED_OUTCOME) ??
          ctx.storage.kv.get<{ outcome?: TaskOutcome }>(STORED_CALL)?.outcome,
        writeOutcome: (outcome) => ctx.storage.kv.put(STORED_OUTCOME, outcome),
        saveText: (index, text) => ctx.storage.kv.put(TEXT_PIECE + String(index).padStart(6, "0"), text),
        readText: () => Array.from(ctx.storage.kv.list<string>({ prefix: TEXT_PIECE }), ([, piece]) => piece).join(""),
        dropText: () => {
          const names = Array.from(ctx.storage.kv.list({ prefix: TEXT_PIECE }), ([name]) => name);
          for (const name of names) ctx.storage.kv.delete(name);
        },
        erase: async () => {
          await ctx.storage.deleteAlarm();
          await ctx.storage.deleteAll();
        },
        wakeAt: (at) => ctx.storage.setAlarm(at),
      },
      systemClock,
      readConfig(env).progressIntervalMs,
      readConfig(env).progressHeartbeatMs / 2,
    );
    this.images = new CallImages(ctx.storage.kv);
    // A new object finding a working call in storage: the object that ran it is gone.
    void ctx.blockConcurrencyWhile(() => this.failIfLost());
  }

  async start(order: CallOrder): Promise<TaskSnapshot> {
    const snapshot = await this.state.begin(order, `${order.model} · waiting for the first token`);
    const controller = new AbortController();
    this.running = controller;
    this.ctx.waitUntil(this.run(order, controller));
    return snapshot;
  }

  async snapshot(owner: string, withPartial: boolean): Promise<TaskSnapshot | undefined> {
    return this.state.ownedBy(owner) ? this.state.snapshot(withPartial) : undefined;
  }

  /** What a list of tasks shows of the call (never its outcome, the status line cut); undefined when not this owner's. */
  async summary(owner: string): Promise<TaskSummary | undefined> {
    if (!this.state.ownedBy(owner)) return undefined;
    const summary = this.state.summary();
    return { ...summary, statusMessage: shortened(summary.statusMessage) };
  }

  /** The call's events as JSON lines (events.ts): progress while it works, then its end. */
  async follow(owner: string): Promise<ReadableStream<Uint8Array> | undefined> {
    if (!this.state.ownedBy(owner)) return undefined;
    return eventStream((listener) => this.state.follow(listener));
  }

  /** An image the call's model made (its index in the result's images); undefined when not kept, or not this owner's. */
  async image(owner: string, index: number): Promise<ServedImage | undefined> {
    if (!this.state.ownedBy(owner)) return undefined;
    const image = this.images.read(index);
    return image && { ...image, keptForMs: this.state.keptForMs() };
  }

  async cancel(owner: string, reason: string): Promise<Cancellation | undefined> {
    if (!this.state.ownedBy(owner)) return undefined;
    const cancelled = await this.state.cancel(reason);
    // The upstream request stops now: its reader is cancelled and the fetch aborted.
    this.running?.abort();
    return { cancelled, snapshot: this.state.snapshot(false) };
  }

  /**
   * Forgets an ended call at once, as if it had never been: for a call answered inside 2026-07-28's
   * window, which never became a task. False when it is not this owner's, or still works.
   */
  async discard(owner: string): Promise<boolean> {
    const stored = this.state.ownedBy(owner);
    if (!stored || !(await this.state.discard())) return false;
    await this.tellLedger(stored, (ledger) => ledger.forget(stored.taskId));
    return true;
  }

  override async alarm(): Promise<void> {
    const stored = this.stored();
    const erased = await this.state.wake(this.running !== undefined);
    if (!stored) return;
    if (erased) await this.tellLedger(stored, (ledger) => ledger.forget(stored.taskId));
    else if (this.running === undefined) await this.settleLedger();
  }

  /** Runs the order's tool to its result, reporting progress and text through `context`. */
  protected abstract runJob(order: CallOrder, context: JobContext): Promise<CallToolResult>;

  private async run(order: CallOrder, controller: AbortController): Promise<void> {
    const config = readConfig(this.env);
    try {
      const result = await this.runJob(order, {
        config,
        signal: controller.signal,
        progress: this.state,
        keepImage: (dataUrl) => this.images.keep(dataUrl),
        clock: systemClock,
      });
      await this.state.finish(result, summaryOf(result, order.model));
    } catch (error) {
      // Unexpected: logged once, and the task fails with it (each era answers an internal error).
      logUnexpected(error, { what: order.tool, where: "durable call", traceId: order.caller?.trace_id });
      await this.state.fail("The call failed inside the server. Start it again.");
    } finally {
      this.running = undefined;
      await this.settleLedger();
    }
  }

  private async failIfLost(): Promise<void> {
    if (this.running !== undefined || this.stored()?.status !== "working") return;
    await this.state.fail(LOST_CALL_MESSAGE);
    await this.settleLedger();
  }

  private stored(): StoredCall | undefined {
    return this.ctx.storage.kv.get<StoredCall>(STORED_CALL);
  }

  /** Tells the caller's ledger how the call stands (it counts the caller's working calls). */
  private async settleLedger(): Promise<void> {
    const stored = this.stored();
    if (stored) await this.tellLedger(stored, (ledger) => ledger.settle(stored.taskId, stored.status));
  }

  /** A failure to reach the ledger costs only the accuracy of its count, which it rechecks. */
  private async tellLedger(
    stored: StoredCall,
    message: (ledger: ReturnType<typeof ledgerObject>) => Promise<void>,
  ): Promise<void> {
    // Unreached: the ledger rechecks its count before it refuses a call.
    await message(ledgerObject(durableBindings(this.env), stored.owner)).catch(() => undefined);
  }
}
