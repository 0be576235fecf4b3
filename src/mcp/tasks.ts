// MCP Tasks on the wire, in both eras, from the era-neutral snapshot a durable call gives
// (durable/task.ts). 2025-11-25 has the experimental utility: the client asks with params.task,
// the server lists and cancels, tasks/result waits for the end, and a tool error fails the task
// (as a durable call's own status says). 2026-07-28 has the extension io.modelcontextprotocol/tasks:
// the server decides, tasks/get carries the result or error inline, a tool error completes the
// task (isError in the result), and a JSON-RPC error fails it. Field names differ too (ttl/pollInterval, ttlMs/pollIntervalMs).
import * as z from "zod/mini";
import { shortened, type TaskOutcome, type TaskSnapshot, type TaskSummary } from "../durable/task.js";
import { META_CLIENT_CAPABILITIES } from "./era.js";
import { ErrorCode, type JsonRpcErrorObject } from "./jsonrpc.js";
import { hasLegacyTasks, type Era } from "./versions.js";

/** The extension's name, in capabilities and in a request's declared client capabilities. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** How many tasks a tasks/list page holds. */
export const TASKS_LIST_PAGE = 20;
/**
 * The most a task takes in tasks/get and tasks/list, in bytes of JSON: its fields, and a status
 * line of at most MAX_STATUS_CHARS (durable/task.ts), each character escaped at worst to six (\u001f).
 */
export const TASK_BYTES = 2048;

/** What a 2025-11-25 server declares in `initialize`: tasks for tools/call, with list and cancel. */
export const LEGACY_TASKS_CAPABILITY = { list: {}, cancel: {}, requests: { tools: { call: {} } } } as const;

/** 2025-11-25: the key under which a CreateTaskResult suggests what the model may be told at once. */
const MODEL_IMMEDIATE_RESPONSE = "io.modelcontextprotocol/model-immediate-response";
/** 2025-11-25: the key that ties a tasks/result answer to its task. */
const RELATED_TASK = "io.modelcontextprotocol/related-task";

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The 2026-07-28 status: the extension calls a tool error a completed task (its result says
 * isError), where a durable call, 2025-11-25's tasks and background calls say failed.
 */
function modernStatus(snapshot: TaskSnapshot): string {
  return snapshot.status === "failed" && snapshot.outcome?.kind === "result" ? "completed" : snapshot.status;
}

/** A 2025-11-25 Task (all that tasks/list shows of one: a summary is enough). */
export function legacyTask(snapshot: TaskSummary): Record<string, unknown> {
  return {
    taskId: snapshot.taskId,
    status: snapshot.status,
    statusMessage: shortened(snapshot.statusMessage),
    createdAt: iso(snapshot.createdAt),
    lastUpdatedAt: iso(snapshot.lastUpdatedAt),
    ttl: snapshot.ttlMs,
    pollInterval: snapshot.pollIntervalMs,
  };
}

/** A 2025-11-25 CreateTaskResult, with a sentence a host may hand the model while it waits. */
export function legacyCreateTaskResult(snapshot: TaskSnapshot): Record<string, unknown> {
  return {
    task: legacyTask(snapshot),
    _meta: {
      [MODEL_IMMEDIATE_RESPONSE]: `The answer is being written in the background as task ${snapshot.taskId}; its result arrives when it is done.`,
    },
  };
}

/** A call that could not finish, as both eras answer it: a JSON-RPC internal error, with the text received until then. */
export function taskFailure(outcome: Extract<TaskOutcome, { kind: "failed" }>): JsonRpcErrorObject {
  const { message, kept } = outcome;
  return { code: ErrorCode.InternalError, message, ...(kept === undefined ? {} : { data: { text: kept.text } }) };
}

/**
 * What tasks/result answers for a task that has ended (2025-11-25): exactly what the tools/call
 * would have answered, with the task named in _meta; a cancelled task answers a tool error with
 * the text written until the cancel.
 */
export function legacyTaskResult(
  snapshot: TaskSnapshot,
): { ok: true; result: Record<string, unknown> } | { ok: false; error: JsonRpcErrorObject } {
  const related = { _meta: { [RELATED_TASK]: { taskId: snapshot.taskId } } };
  const outcome = snapshot.outcome;
  if (outcome?.kind === "failed") return { ok: false, error: taskFailure(outcome) };
  if (outcome?.kind === "result") return { ok: true, result: { ...outcome.result, ...related } };
  const kept = outcome?.kind === "cancelled" ? outcome.kept : undefined;
  return {
    ok: true,
    result: {
      content: [
        { type: "text", text: `This task was cancelled: ${snapshot.statusMessage}` },
        ...(kept?.text ? [{ type: "text", text: `The answer until then:\n${kept.text}` }] : []),
      ],
      isError: true,
      ...related,
    },
  };
}

/** A 2026-07-28 Task, detailed (with its result or error once it has ended), for tasks/get. */
export function modernTask(snapshot: TaskSnapshot): Record<string, unknown> {
  const task: Record<string, unknown> = {
    taskId: snapshot.taskId,
    status: modernStatus(snapshot),
    statusMessage: shortened(snapshot.statusMessage),
    createdAt: iso(snapshot.createdAt),
    lastUpdatedAt: iso(snapshot.lastUpdatedAt),
    ttlMs: snapshot.ttlMs,
    pollIntervalMs: snapshot.pollIntervalMs,
  };
  // The result exactly as the tools/call would have answered it in this era.
  if (snapshot.outcome?.kind === "result") task.result = { resultType: "complete", ...snapshot.outcome.result };
  if (snapshot.outcome?.kind === "failed") task.error = taskFailure(snapshot.outcome);
  return task;
}

/** The same answer for a task that never existed, one that expired, and someone else's. */
export function taskNotFound(taskId: string | undefined): JsonRpcErrorObject {
  const named = taskId !== undefined && taskId.length <= 64 ? ` "${taskId}"` : "";
  return {
    code: ErrorCode.InvalidParams,
    message: `Failed to retrieve task${named}: Task not found. Tasks are kept for a while after they end, and only for the key that started them.`,
  };
}

export function cannotCancelEnded(snapshot: TaskSnapshot): JsonRpcErrorObject {
  return {
    code: ErrorCode.InvalidParams,
    message: `Cannot cancel task: already in terminal status '${snapshot.status}'.`,
  };
}

/** 2026-07-28: a client that did not declare the extension may not use the tasks/ methods. */
export function tasksExtensionRequired(method: string): JsonRpcErrorObject {
  return {
    code: ErrorCode.MissingCapability,
    message: `Missing required client capability: ${method} needs the ${TASKS_EXTENSION} extension in the request's client capabilities.`,
    data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  };
}

/**
 * A modern request's params, as far as the extension's place in its declared client capabilities.
 * Optional at every level, so that the common request, which declares nothing, parses without an
 * error; any value under the extension's name declares it (JSON has no undefined).
 */
const declaredTasks = z.optional(
  z.object({
    _meta: z.optional(
      z.object({
        [META_CLIENT_CAPABILITIES]: z.optional(
          z.object({ extensions: z.optional(z.object({ [TASKS_EXTENSION]: z.optional(z.unknown()) })) }),
        ),
      }),
    ),
  }),
);

/** Whether a modern request's declared client capabilities include the Tasks extension. */
export function declaresTasks(params: Record<string, unknown> | undefined): boolean {
  return (
    z.safeParse(declaredTasks, params).data?._meta?.[META_CLIENT_CAPABILITIES]?.extensions?.[TASKS_EXTENSION] !==
    undefined
  );
}

/** 2025-11-25's TaskMetadata: an object, with the retention the client asks for (ms), if any. */
const taskMetadata = z.object({ ttl: z.optional(z.number().check(z.gte(0))) });

/**
 * Whether a tools/call asks to run as a task. Under 2026-07-28, when it declares the extension
 * (the server then decides); under 2025-11-25, when it has `params.task`, which must be a
 * TaskMetadata object (anything else is refused as invalid params, with this error); under an
 * older revision, never: it has no tasks, and a receiver without the capability ignores `task`.
 */
export function asksForTask(
  params: Record<string, unknown> | undefined,
  era: Era,
  protocolVersion: string,
): boolean | JsonRpcErrorObject {
  if (era === "modern") return declaresTasks(params);
  if (!hasLegacyTasks(protocolVersion) || params?.task === undefined) return false;
  if (z.safeParse(taskMetadata, params.task).success) return true;
  return {
    code: ErrorCode.InvalidParams,
    message:
      'Invalid params: "task" must be an object, {} or {"ttl": <milliseconds>}; leave it out to call without a task.',
  };
}
