// The requests that make and read MCP Tasks: a tools/call that runs as a task (2025-11-25: the
// client asked with params.task; 2026-07-28: the client declared the extension, and the call is
// still working after the short window), and the tasks/ methods of each era. Every one of them
// is answered for the caller's key only (see durable/calls.ts); dispatch.ts wraps the answers.
import * as z from "zod/mini";
import type { Clock, Timer } from "../clock.js";
import type { Config } from "../config.js";
import type { DurableBindings } from "../durable/bindings.js";
import { cancelCall, followCall, getCall, listCalls, ownerOf } from "../durable/calls.js";
import { isTerminal, type TaskSnapshot } from "../durable/task.js";
import { startDurable } from "../tools/background.js";
import type { Tool } from "../tools/tool.js";
import { ErrorCode, type JsonRpcErrorObject, type OutgoingNotification } from "./jsonrpc.js";
import { ProgressNotifier } from "./progress.js";
import {
  cannotCancelEnded,
  legacyCreateTaskResult,
  legacyTask,
  legacyTaskResult,
  modernTask,
  taskNotFound,
  TASKS_LIST_PAGE,
} from "./tasks.js";
import type { Era } from "./versions.js";

/** What a task request answers; dispatch.ts turns it into a JSON-RPC response. */
export type TaskAnswer =
  | { result: object }
  | { error: JsonRpcErrorObject }
  /** Answered after a while: progress goes through `notify` meanwhile, when the response can carry it. */
  | {
      stream: (
        notify: ((notification: OutgoingNotification) => void) | undefined,
        signal: AbortSignal,
      ) => Promise<{ result: object } | { error: JsonRpcErrorObject }>;
    };

export interface TaskContext {
  era: Era;
  config: Config;
  durable: DurableBindings;
  key: string;
  origin: string;
  waitUntil(promise: Promise<unknown>): void;
  /** What the window and progress notifications are timed by. */
  clock: Clock;
}

// Only the one field each request reads. A taskId that is absent or no string names no task: it
// is answered as an unknown task is. A cursor that is no string is refused as such.
const namedTask = z.optional(z.object({ taskId: z.optional(z.string()) }));
const listPage = z.optional(z.object({ cursor: z.optional(z.string()) }));

/**
 * tools/call as a task: starts the durable call, then answers as each era says. Undefined: the
 * call goes on as an ordinary one (2026-07-28 past the per-key bound, since the client declared
 * Tasks but asked for none; a 2025-11-25 task request past it is refused).
 */
export async function callAsTask(
  tool: Tool,
  args: unknown,
  progressToken: string | number | undefined,
  context: TaskContext,
): Promise<TaskAnswer | undefined> {
  const started = await startDurable({
    ...context,
    tool: tool.name,
    arguments: args,
    model: tool.policy.statusLabel?.(args, context.config) ?? tool.name,
    progressToken,
  });
  if (!started.started) {
    return context.era === "modern"
      ? undefined
      : {
          error: {
            code: ErrorCode.InvalidRequest,
            message:
              `This key already has ${started.working} tasks working, the most this server allows at once (${started.limit}). ` +
              "Wait for one to finish or cancel one, then try again.",
          },
        };
  }
  const { snapshot } = started;
  if (context.era === "legacy") return { result: legacyCreateTaskResult(snapshot) };
  return {
    stream: (notify, signal) => {
      // Held by waitUntil: a client that hangs up ends this request's own work, and the call
      // must still be cancelled then (see withinWindow).
      const answer = withinWindow(snapshot, progressToken, notify, signal, context);
      context.waitUntil(answer);
      return answer;
    },
  };
}

/**
 * 2026-07-28: the call streams as a plain tools/call would for up to TASK_WINDOW_MS; done by
 * then, it answers its result; still working, it answers the task, and goes on without us. A
 * client that goes away (or cancels) inside the window never learns the task's id: the call
 * is cancelled then, so nobody pays for an answer no one can fetch.
 */
async function withinWindow(
  snapshot: TaskSnapshot,
  progressToken: string | number | undefined,
  notify: ((notification: OutgoingNotification) => void) | undefined,
  signal: AbortSignal,
  context: TaskContext,
): Promise<{ result: object } | { error: JsonRpcErrorObject }> {
  const owner = await ownerOf(context.key);
  const events = await followCall(context.durable, owner, snapshot.taskId);
  const progress =
    progressToken !== undefined && notify
      ? new ProgressNotifier(progressToken, undefined, context.config.progressIntervalMs, notify, context.clock)
      : undefined;
  let timer: Timer | undefined;
  const windowEnds = new Promise<"window">(
    (resolve) => (timer = context.clock.setTimeout(() => resolve("window"), context.config.tasks.windowMs)),
  );
  const abandoned = new Promise<"abandoned">((resolve) => {
    if (signal.aborted) resolve("abandoned");
    signal.addEventListener("abort", () => resolve("abandoned"));
  });
  try {
    for (;;) {
      const next = await Promise.race([events?.next() ?? Promise.resolve(undefined), windowEnds, abandoned]);
      if (next === "abandoned") {
        await cancelCall(
          context.durable,
          owner,
          snapshot.taskId,
          "Cancelled: the client went away before the call became a task.",
        ).catch(() => {});
        return { error: { code: ErrorCode.InternalError, message: "The request was cancelled." } };
      }
      if (next === "window" || next === undefined) {
        const now = (await getCall(context.durable, owner, snapshot.taskId)) ?? snapshot;
        if (!isTerminal(now.status)) return { result: { ...modernTask(now), resultType: "task" } };
        return endOf(now, progress);
      }
      if (next.kind === "progress") {
        const { count, message } = next;
        progress?.report(count, () => message);
      } else return endOf(next.snapshot, progress);
    }
  } finally {
    context.clock.clear(timer);
    events?.close();
    progress?.stop();
  }
}

/** A call that ended inside the window answers what a plain tools/call would have. */
function endOf(
  snapshot: TaskSnapshot,
  progress: ProgressNotifier | undefined,
): { result: object } | { error: JsonRpcErrorObject } {
  const outcome = snapshot.outcome;
  if (outcome?.kind === "error") return { error: outcome.error };
  progress?.complete();
  if (outcome?.kind === "result") return { result: outcome.result };
  return { result: { content: [{ type: "text", text: snapshot.statusMessage }], isError: true } };
}

/** The tasks/ methods; undefined for a method this era does not have. */
export async function taskMethod(
  method: string,
  params: Record<string, unknown> | undefined,
  context: TaskContext,
): Promise<TaskAnswer | undefined> {
  const owner = await ownerOf(context.key);
  const taskId = z.safeParse(namedTask, params).data?.taskId;
  const { durable } = context;
  const legacy = context.era === "legacy";
  switch (method) {
    case "tasks/get": {
      const snapshot = await getCall(durable, owner, taskId);
      if (!snapshot) return { error: taskNotFound(taskId) };
      return { result: legacy ? legacyTask(snapshot) : modernTask(snapshot) };
    }
    case "tasks/cancel": {
      const cancelled = await cancelCall(
        durable,
        owner,
        taskId,
        "Cancelled by request: OpenRouter was told to stop, and the text written until then is dropped.",
      );
      if (!cancelled) return { error: taskNotFound(taskId) };
      if (!legacy) return { result: {} };
      return cancelled.cancelled
        ? { result: legacyTask(cancelled.snapshot) }
        : { error: cannotCancelEnded(cancelled.snapshot) };
    }
    case "tasks/update": {
      // 2026-07-28 only. Our tasks never need input: a known task's update is acknowledged, and
      // any inputResponses are ignored, as the extension says of keys not outstanding.
      if (legacy) return undefined;
      return (await getCall(durable, owner, taskId)) ? { result: {} } : { error: taskNotFound(taskId) };
    }
    case "tasks/result": {
      if (!legacy) return undefined;
      const snapshot = await getCall(durable, owner, taskId);
      if (!snapshot) return { error: taskNotFound(taskId) };
      if (isTerminal(snapshot.status)) return legacyTaskResult(snapshot);
      return { stream: (notify) => untilEnd(snapshot, owner, notify, context) };
    }
    case "tasks/list": {
      if (!legacy) return undefined;
      const asked = z.safeParse(listPage, params);
      if (!asked.success)
        return { error: { code: ErrorCode.InvalidParams, message: "Invalid params: cursor must be a string." } };
      const page = await listCalls(durable, owner, asked.data?.cursor, TASKS_LIST_PAGE);
      if (!page)
        return {
          error: {
            code: ErrorCode.InvalidParams,
            message: "Invalid params: this cursor is not one tasks/list gave out.",
          },
        };
      return {
        result: {
          tasks: page.tasks.map(legacyTask),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        },
      };
    }
    default:
      return undefined;
  }
}

/**
 * 2025-11-25 tasks/result on a working task: held open until the task ends (keepalives from the
 * transport), with the call's progress under the progress token of the tools/call that started
 * it, which stays valid for the task's whole life.
 */
async function untilEnd(
  snapshot: TaskSnapshot,
  owner: string,
  notify: ((notification: OutgoingNotification) => void) | undefined,
  context: TaskContext,
): Promise<{ result: object } | { error: JsonRpcErrorObject }> {
  const token = snapshot.progressToken;
  const progress =
    token !== undefined && notify
      ? new ProgressNotifier(token, undefined, context.config.progressIntervalMs, notify, context.clock)
      : undefined;
  const events = await followCall(context.durable, owner, snapshot.taskId);
  try {
    for (let event = await events?.next(); event; event = await events?.next()) {
      if (event.kind === "progress") {
        const { count, message } = event;
        progress?.report(count, () => message);
        continue;
      }
      progress?.complete();
      return legacyTaskResult(event.snapshot);
    }
    // The stream ended without an end event (the object restarted): answer the task as it is now.
    const now = await getCall(context.durable, owner, snapshot.taskId);
    return now && isTerminal(now.status)
      ? legacyTaskResult(now)
      : {
          error: {
            code: ErrorCode.InternalError,
            message: "Lost track of the task; call tasks/get, then tasks/result again.",
          },
        };
  } finally {
    events?.close();
    progress?.stop();
  }
}
