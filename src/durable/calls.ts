// What the Worker asks of durable calls: start one, look at it, wait for it, follow its progress,
// cancel it, list a caller's. Every question names the caller (the SHA-256 of the OpenRouter key):
// a task of someone else's answers exactly as one that never existed.
import { keyHash } from "../openrouter/keys.js";
import { callObject, ledgerObject, readEvents, type CallEvents, type DurableBindings } from "./bindings.js";
import type { KeptImage } from "./call-images.js";
import { isTaskId, newTaskId, type CallOrder, type TaskSnapshot } from "./task.js";

export type StartOutcome =
  | { started: true; snapshot: TaskSnapshot }
  /** The caller already has `working` calls running, the most allowed. */
  | { started: false; working: number; limit: number };

/**
 * Starts a durable call. Resolves once the task is durably created (a tasks/get for its id
 * would find it), as the Tasks specifications require before a CreateTaskResult.
 */
export async function startCall(
  bindings: DurableBindings,
  order: Omit<CallOrder, "taskId">,
  limit: number,
  now: number,
): Promise<StartOutcome> {
  const taskId = newTaskId();
  const ledger = ledgerObject(bindings, order.owner);
  const admission = await ledger.admit(order.owner, taskId, now, limit);
  if (!admission.admitted) return { started: false, working: admission.working, limit };
  try {
    return { started: true, snapshot: await callObject(bindings, taskId).start({ ...order, taskId }) };
  } catch (error) {
    await ledger.forget(taskId).catch(() => {});
    throw error;
  }
}

/** The task as it is now; undefined when this caller has no such task. */
export async function getCall(
  bindings: DurableBindings,
  owner: string,
  taskId: unknown,
  withPartial = false,
): Promise<TaskSnapshot | undefined> {
  return isTaskId(taskId) ? callObject(bindings, taskId).snapshot(owner, withPartial) : undefined;
}

/** The task once it has ended, or as it is after `ms`. */
export async function waitForCall(
  bindings: DurableBindings,
  owner: string,
  taskId: unknown,
  ms: number,
  withPartial = false,
): Promise<TaskSnapshot | undefined> {
  return isTaskId(taskId) ? callObject(bindings, taskId).wait(owner, ms, withPartial) : undefined;
}

/** The task's events (progress, then its end); undefined when this caller has no such task. */
export async function followCall(
  bindings: DurableBindings,
  owner: string,
  taskId: unknown,
): Promise<CallEvents | undefined> {
  if (!isTaskId(taskId)) return undefined;
  const stream = await callObject(bindings, taskId).follow(owner);
  return stream && readEvents(stream);
}

export async function cancelCall(
  bindings: DurableBindings,
  owner: string,
  taskId: unknown,
  reason: string,
): Promise<{ cancelled: boolean; snapshot: TaskSnapshot } | undefined> {
  return isTaskId(taskId) ? callObject(bindings, taskId).cancel(owner, reason) : undefined;
}

/** An image a call's model made, kept whole (durable/call-images.ts); undefined when not kept or not this caller's. */
export async function readCallImage(
  bindings: DurableBindings,
  owner: string,
  taskId: unknown,
  index: number,
): Promise<KeptImage | undefined> {
  return isTaskId(taskId) ? callObject(bindings, taskId).image(owner, index) : undefined;
}

/** One page of this caller's tasks, newest first; undefined when the cursor is not one we gave. */
export async function listCalls(
  bindings: DurableBindings,
  owner: string,
  cursor: string | undefined,
  pageSize: number,
): Promise<{ tasks: TaskSnapshot[]; nextCursor?: string } | undefined> {
  if (cursor !== undefined && !isTaskId(cursor)) return undefined;
  const ledger = ledgerObject(bindings, owner);
  const page = await ledger.list(cursor, pageSize);
  if (!page) return undefined;
  const found = await Promise.all(page.taskIds.map((taskId) => callObject(bindings, taskId).snapshot(owner, false)));
  const tasks: TaskSnapshot[] = [];
  found.forEach((snapshot, i) => {
    if (snapshot) tasks.push(snapshot);
    else void ledger.forget(page.taskIds[i]!).catch(() => {});
  });
  return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
}

/** Who a task belongs to: the SHA-256 of the OpenRouter key, in hex. */
export const ownerOf = keyHash;
