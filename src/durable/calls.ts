// A caller's durable calls, as the Worker asks about them: start one, look at it, follow it,
// cancel it, forget it, list them. One facade over the two Durable Object namespaces (bindings.ts), for one
// OpenRouter key: every question names the caller by the key's SHA-256, so a task of someone
// else's answers exactly as one that never existed.
import { keyHash } from "../openrouter/keys.js";
import { callObject, ledgerObject, type DurableBindings } from "./bindings.js";
import type { ServedImage } from "./call-images.js";
import { readEvents } from "./events.js";
import {
  isTaskId,
  LIST_CURSOR,
  newTaskId,
  type CallEvent,
  type CallOrder,
  type TaskSnapshot,
  type TaskSummary,
} from "./task.js";

/** A new call as its starter describes it: the facade adds the task id, the owner and the key. */
export type NewCall = Omit<CallOrder, "taskId" | "owner" | "key">;

export type StartOutcome =
  | { ok: true; snapshot: TaskSnapshot }
  /** The caller already has `working` calls running, the most allowed. */
  | { ok: false; working: number; limit: number };

/** `cancelled` is false when the call had already ended. */
export interface Cancellation {
  cancelled: boolean;
  snapshot: TaskSnapshot;
}

export interface TaskPage {
  tasks: TaskSummary[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export class DurableCalls {
  private ownerHash: Promise<string> | undefined;

  constructor(
    private readonly bindings: DurableBindings,
    private readonly key: string,
  ) {}

  /** Who the calls belong to: the key's SHA-256, in hex (computed once). */
  owner(): Promise<string> {
    return (this.ownerHash ??= keyHash(this.key));
  }

  /**
   * Starts a call, unless the caller has `limit` working already. Resolves once the task is
   * durably created (a tasks/get for its id would find it), as the Tasks specifications require
   * before a CreateTaskResult.
   */
  async start(call: NewCall, limit: number, now: number): Promise<StartOutcome> {
    const owner = await this.owner();
    const taskId = newTaskId();
    const ledger = ledgerObject(this.bindings, owner);
    const admission = await ledger.admit(owner, taskId, now, limit);
    if (!admission.ok) return { ok: false, working: admission.working, limit };
    try {
      const snapshot = await callObject(this.bindings, taskId).start({ ...call, taskId, owner, key: this.key });
      return { ok: true, snapshot };
    } catch (error) {
      // The ledger must not count a call that never started; unreached, it rechecks its count. The
      // error itself goes on up.
      await ledger.forget(taskId).catch(() => undefined);
      throw error;
    }
  }

  /** The task as it is now (with the answer so far, when asked); undefined when this caller has no such task. */
  async get(taskId: unknown, withPartial = false): Promise<TaskSnapshot | undefined> {
    return isTaskId(taskId) ? callObject(this.bindings, taskId).snapshot(await this.owner(), withPartial) : undefined;
  }

  /**
   * The task's events: progress while it works, then its end. Nothing when this caller has no
   * such task; the events stop early when `signal` aborts, or when the object goes away (a restart).
   */
  async *follow(taskId: unknown, signal: AbortSignal): AsyncGenerator<CallEvent> {
    if (!isTaskId(taskId)) return;
    const stream = await callObject(this.bindings, taskId).follow(await this.owner());
    if (stream) yield* readEvents(stream, signal);
  }

  /**
   * Follows the task until it ends, handing each progress event to `onProgress`: its last
   * snapshot, or undefined when the events stopped first (`signal`, no such task, a restart).
   */
  async untilEnd(
    taskId: unknown,
    onProgress: (count: number, message: string) => void,
    signal: AbortSignal,
  ): Promise<TaskSnapshot | undefined> {
    for await (const event of this.follow(taskId, signal)) {
      if (event.kind === "end") return event.snapshot;
      onProgress(event.count, event.message);
    }
    return undefined;
  }

  async cancel(taskId: unknown, reason: string): Promise<Cancellation | undefined> {
    return isTaskId(taskId) ? callObject(this.bindings, taskId).cancel(await this.owner(), reason) : undefined;
  }

  /** Forgets an ended call at once (it leaves nothing behind); false when there is no such ended call. */
  async discard(taskId: unknown): Promise<boolean> {
    return isTaskId(taskId) ? callObject(this.bindings, taskId).discard(await this.owner()) : false;
  }

  /** An image the call's model made, kept whole (call-images.ts); undefined when not kept or not this caller's. */
  async image(taskId: unknown, index: number): Promise<ServedImage | undefined> {
    return isTaskId(taskId) ? callObject(this.bindings, taskId).image(await this.owner(), index) : undefined;
  }

  /**
   * One page of the caller's tasks, newest first, as summaries (no outcome crosses from the
   * objects); undefined when the cursor is not one a page could give.
   */
  async list(cursor: string | undefined, pageSize: number): Promise<TaskPage | undefined> {
    if (cursor !== undefined && !LIST_CURSOR.test(cursor)) return undefined;
    const owner = await this.owner();
    const ledger = ledgerObject(this.bindings, owner);
    const page = await ledger.list(cursor, pageSize);
    if (!page) return undefined;
    const found = await Promise.all(page.taskIds.map((taskId) => callObject(this.bindings, taskId).summary(owner)));
    const tasks: TaskSummary[] = [];
    found.forEach((summary, i) => {
      if (summary) tasks.push(summary);
      // Its task is gone: the ledger drops the id, and a failure to tell it only leaves the id for the next listing.
      else void ledger.forget(page.taskIds[i]!).catch(() => undefined);
    });
    return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
  }
}
