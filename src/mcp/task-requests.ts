// The tasks/ methods of both eras, each about one of the caller's durable calls (durable/calls.ts)
// and answered for the caller's key only: tasks/get and tasks/cancel in both, tasks/result and
// tasks/list under 2025-11-25, tasks/update under 2026-07-28. A tools/call that runs as a task is
// mcp/tool-call.ts's; these read and steer what it started.
import * as z from "zod/mini";
import type { DurableCalls } from "../durable/calls.js";
import { isTerminal } from "../durable/task.js";
import { answer, failed, resultOf, unauthorized, type DispatchContext, type Method } from "./answers.js";
import { ErrorCode, failure, type JsonRpcRequest } from "./jsonrpc.js";
import { progressNotifier } from "./progress.js";
import {
  cannotCancelEnded,
  declaresTasks,
  legacyTask,
  legacyTaskResult,
  modernTask,
  taskNotFound,
  TASKS_LIST_PAGE,
  tasksExtensionRequired,
} from "./tasks.js";

// Only the one field each request reads. A taskId that is absent or no string names no task: it
// is answered as an unknown task is. A cursor that is no string is refused as such.
const namedTask = z.optional(z.object({ taskId: z.optional(z.string()) }));
const listPage = z.optional(z.object({ cursor: z.optional(z.string()) }));

type TaskHandler = (
  request: JsonRpcRequest,
  context: DispatchContext,
  calls: DurableCalls,
  taskId: string | undefined,
) => ReturnType<Method>;

/**
 * A tasks/ method as the method table holds it: under 2026-07-28 the request must declare the
 * Tasks extension (-32021, with HTTP 400, as the revision says: basic/index), and in both eras
 * it needs the person's key.
 */
function taskMethod(handler: TaskHandler): Method {
  return (request, context) => {
    if (context.era === "modern" && !declaresTasks(request.params))
      return failed(request.id, tasksExtensionRequired(request.method), 400);
    if (!context.calls) return unauthorized(request.id);
    return handler(request, context, context.calls, z.safeParse(namedTask, request.params).data?.taskId);
  };
}

export const getTask = taskMethod(async ({ id }, { era }, calls, taskId) => {
  const snapshot = await calls.get(taskId);
  if (!snapshot) return failed(id, taskNotFound(taskId));
  return answer(id, era, era === "legacy" ? legacyTask(snapshot) : modernTask(snapshot));
});

export const cancelTask = taskMethod(async ({ id }, { era }, calls, taskId) => {
  const reason =
    "Cancelled by request (tasks/cancel): OpenRouter was told to stop; the text written until then is kept.";
  const cancelled = await calls.cancel(taskId, reason);
  if (!cancelled) return failed(id, taskNotFound(taskId));
  if (era === "modern") return answer(id, era, {});
  return cancelled.cancelled
    ? answer(id, era, legacyTask(cancelled.snapshot))
    : failed(id, cannotCancelEnded(cancelled.snapshot));
});

/**
 * 2026-07-28 only. Our tasks never need input: a known task's update is acknowledged, and any
 * inputResponses are ignored, as the extension says of keys not outstanding.
 */
export const updateTask = taskMethod(async ({ id }, { era }, calls, taskId) =>
  (await calls.get(taskId)) ? answer(id, era, {}) : failed(id, taskNotFound(taskId)),
);

/**
 * 2025-11-25 only: a task that has ended answers what its tools/call would have; a working one
 * is held open until it ends (keepalives from the transport), with the call's progress under the
 * progress token of the tools/call that started it, which stays valid for the task's whole life.
 */
export const taskResult = taskMethod(async ({ id }, context, calls, taskId) => {
  const snapshot = await calls.get(taskId);
  if (!snapshot) return failed(id, taskNotFound(taskId));
  const answered = (ended: typeof snapshot) => {
    const settled = legacyTaskResult(ended);
    return settled.ok ? resultOf(id, context.era, settled.result) : failure(id, settled.error);
  };
  if (isTerminal(snapshot.status)) return { kind: "answer", answer: answered(snapshot), status: 200 };
  return {
    kind: "stream",
    id,
    relay: async (notify) => {
      const progress = progressNotifier(snapshot.progressToken, undefined, notify, context);
      try {
        const report = (count: number, message: string): void => progress?.report(count, () => message);
        const ended = await calls.untilEnd(snapshot.taskId, report, context.signal);
        if (ended) {
          // Only an answer ends progress full: not a cancel, not a failure.
          if (ended.status === "completed") progress?.complete();
          return answered(ended);
        }
        // The events ended without an end (the object restarted): answer the task as it is now.
        const now = await calls.get(snapshot.taskId);
        if (now && isTerminal(now.status)) return answered(now);
        const message = "Lost track of the task; call tasks/get, then tasks/result again.";
        return failure(id, { code: ErrorCode.InternalError, message });
      } finally {
        progress?.stop();
      }
    },
  };
});

/** 2025-11-25 only: the caller's tasks, newest first, a page at a time. */
export const listTasks = taskMethod(async ({ id, params }, { era }, calls) => {
  const asked = z.safeParse(listPage, params);
  if (!asked.success)
    return failed(id, { code: ErrorCode.InvalidParams, message: "Invalid params: cursor must be a string." });
  const page = await calls.list(asked.data?.cursor, TASKS_LIST_PAGE);
  if (!page) {
    const message = "Invalid params: this cursor is not one tasks/list gave out.";
    return failed(id, { code: ErrorCode.InvalidParams, message });
  }
  const tasks = page.tasks.map(legacyTask);
  return answer(id, era, page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor });
});
