// The one owner of a tools/call: it reads the request, finds the tool and drives the call on
// whichever path it takes, writing the call's log line once (tools/call-log.ts):
// - plain: the tool's result at once, or streamed with progress notifications until it is whole;
// - a task: under 2025-11-25 when the client sent params.task (a CreateTaskResult at once), under
//   2026-07-28 when the request declared the Tasks extension (streamed as a plain call for a short
//   window, then answered as the task if it is still working);
// - in the background, when the tool asks for it (its arguments may ask for that);
// - and inside the Durable Object that runs a durable call to its end (runDurableCall).
// Durable calls are started in one place here, and followed through their facade (durable/calls.ts);
// 2026-07-28's window, which decides between a plain answer and a task, is mcp/task-window.ts's.
import * as z from "zod/mini";
import type { JobContext } from "../durable/durable-call.js";
import type { DurableCalls, StartOutcome } from "../durable/calls.js";
import type { CallOrder } from "../durable/task.js";
import type { CallToolResult } from "../tool-result.js";
import { tooManyWorking } from "../tools/background.js";
import { CallLog } from "../tools/call-log.js";
import { findTool, TOOLS } from "../tools/index.js";
import { errorResult } from "../tools/results.js";
import { NO_PROGRESS, type Tool, type ToolCallContext } from "../tools/tool.js";
import {
  answer,
  failed,
  resultOf,
  unauthorized,
  type DispatchContext,
  type Dispatched,
  type Notify,
} from "./answers.js";
import { callerOf } from "./caller.js";
import {
  ErrorCode,
  MAX_ID_CHARACTERS,
  quoted,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from "./jsonrpc.js";
import { progressNotifier } from "./progress.js";
import { taskWindow } from "./task-window.js";
import { asksForTask, legacyCreateTaskResult } from "./tasks.js";

const callParams = z.object({
  name: z.string(),
  arguments: z.optional(z.unknown()),
  _meta: z.optional(
    z.object({
      progressToken: z.optional(
        z.union([
          z.string().check(z.maxLength(MAX_ID_CHARACTERS, `must be at most ${MAX_ID_CHARACTERS} characters`)),
          z.number(),
        ]),
      ),
    }),
  ),
});

export async function callTool(request: JsonRpcRequest, context: DispatchContext): Promise<Dispatched> {
  const { id, params } = request;
  const parsed = z.safeParse(callParams, params ?? {});
  if (!parsed.success) {
    const tokenIssue = parsed.error.issues.find((issue) => issue.path.at(-1) === "progressToken");
    const message = tokenIssue
      ? `Invalid params: _meta.progressToken ${tokenIssue.message}`
      : 'Invalid params: tools/call needs {"name": string, "arguments"?: object}';
    return failed(id, { code: ErrorCode.InvalidParams, message });
  }
  const { name, arguments: args, _meta } = parsed.data;
  const tool = findTool(name);
  if (!tool) {
    const offered = TOOLS.map((t) => t.name).join(", ");
    return failed(id, {
      code: ErrorCode.InvalidParams,
      message: `Unknown tool: ${quoted(name)}. This server offers: ${offered}.`,
    });
  }
  // Who asked and under which trace, for the log line and for OpenRouter.
  const caller = context.caller && callerOf(context.caller, params?._meta);
  const call: ToolCall = {
    id,
    tool,
    args,
    progressToken: _meta?.progressToken,
    context: { ...context, caller },
    log: new CallLog(tool.name, args, caller, context.clock),
  };
  const task = asksForTask(params, context.era, context.protocolVersion);
  if (typeof task === "object") {
    call.log.end("refused");
    return failed(id, task);
  }
  return task ? taskCall(call) : plainCall(call);
}

/** One tools/call on its way: what every path needs, and the one log line it writes. */
interface ToolCall {
  id: JsonRpcId;
  tool: Tool;
  args: unknown;
  progressToken: string | number | undefined;
  context: DispatchContext;
  log: CallLog;
}

/** The tool answers at once, streams its answer, or asks to run in the background. */
async function plainCall(call: ToolCall): Promise<Dispatched> {
  // The relay below closes over these alone, never `call`: the arguments (up to 16 MiB of images)
  // are not kept while the answer streams.
  const { id, tool, context, log, progressToken } = call;
  const started = await tool.call(call.args, context);
  switch (started.kind) {
    case "result":
      log.end(started.result);
      return answer(id, context.era, started.result);
    case "background": {
      if (!context.calls) break;
      const result = started.answer(await startDurable(call, context.calls, true));
      log.end(result);
      return answer(id, context.era, result);
    }
    case "stream": {
      const relay = async (notify: Notify | undefined): Promise<JsonRpcResponse> => {
        const progress = progressNotifier(progressToken, started.progressTotal, notify, context);
        try {
          const result = await started.relay(log.watch(progress ?? NO_PROGRESS));
          log.end(result, context.signal);
          // Progress ends full only with the whole answer (not a tool error, not a wait that ended first).
          if (started.isWhole?.(result) ?? !result.isError) progress?.complete();
          return resultOf(id, context.era, result);
        } finally {
          log.end("failed");
          progress?.stop();
        }
      };
      return { kind: "stream", id, relay };
    }
  }
  // The tool asked for the person's key, or for a durable call, which needs one.
  log.end("unauthorized");
  return unauthorized(id, started.kind === "unauthorized" ? started.reason : "missing");
}

/**
 * The client asked for a task (2025-11-25), or may take one (2026-07-28: it declared the
 * extension). A tool that cannot run as one, bad arguments and a key past its bound answer as
 * each era says: 2025-11-25 refuses the task request, 2026-07-28 goes on as a plain call.
 */
async function taskCall(call: ToolCall): Promise<Dispatched> {
  const { id, tool, context, log } = call;
  const legacy = context.era === "legacy";
  const refused = (error: JsonRpcErrorObject): Dispatched => {
    log.end("refused");
    return failed(id, error);
  };
  if (!tool.check) {
    if (!legacy) return plainCall(call);
    const message = `Tool ${quoted(tool.name)} does not run as a task: call it without "task".`;
    return refused({ code: ErrorCode.MethodNotFound, message });
  }
  // The key first: a caller without one never has its arguments read.
  const { calls } = context;
  if (!calls) {
    log.end("unauthorized");
    return unauthorized(id);
  }
  const problem = tool.check(call.args, context.config);
  if (problem) {
    if (!legacy) return plainCall(call);
    return refused({ code: ErrorCode.InvalidParams, message: problem.content.map((c) => c.text).join(" ") });
  }
  const started = await startDurable(call, calls, false);
  if (!started.ok) {
    if (!legacy) return plainCall(call);
    return refused({ code: ErrorCode.InvalidRequest, message: tooManyWorking(started.working, started.limit) });
  }
  log.end("task");
  if (legacy) return answer(id, context.era, legacyCreateTaskResult(started.snapshot));
  const relay = (notify: Notify | undefined): Promise<JsonRpcResponse> => {
    // Held by waitUntil: a client that hangs up ends this request's own work, and the call
    // must still be cancelled then (see taskWindow).
    const answered = taskWindow(id, call.progressToken, context, calls, started.snapshot, notify);
    context.waitUntil(answered);
    return answered;
  };
  return { kind: "stream", id, relay };
}

/**
 * Starts the call durably: as a task, or in the background (the tool asked for it). Its status
 * line names what the tool's policy says (its status label), or the tool.
 */
function startDurable(call: ToolCall, calls: DurableCalls, background: boolean): Promise<StartOutcome> {
  const { tool, args, context, progressToken } = call;
  const { config, clock, origin, caller } = context;
  return calls.start(
    {
      tool: tool.name,
      arguments: args,
      origin,
      model: tool.policy.statusLabel?.(args, config) ?? tool.name,
      retentionMs: config.tasks.retentionMs,
      ...(progressToken === undefined ? {} : { progressToken }),
      caller,
      ...(background ? { background: true } : {}),
    },
    config.tasks.maxWorkingPerKey,
    clock.now(),
  );
}

/**
 * What a durable call's object runs (durable/durable-call.ts): the order's tool, exactly as the
 * stateless path runs it, in the foreground, its progress and the answer's text going to the
 * call's state. It logs the call's line from the object, once: an object runs its call once. A
 * refused key becomes a tool error, as no one waits there for a 401.
 */
export async function runDurableCall(order: CallOrder, job: JobContext): Promise<CallToolResult> {
  const tool = findTool(order.tool);
  if (!tool) return errorResult(`Unknown tool: ${order.tool}.`);
  const caller = order.caller && { ...order.caller, key: order.owner.slice(0, 8) };
  const log = new CallLog(tool.name, order.arguments, caller, job.clock, order.background ? "background" : "task");
  const context: ToolCallContext = {
    config: job.config,
    key: order.key,
    origin: order.origin,
    signal: job.signal,
    caller,
    onText: (text) => job.progress.append(text),
    onImage: job.keepImage,
    clock: job.clock,
    runsDurably: true,
  };
  try {
    const started = await tool.call(order.arguments, context);
    switch (started.kind) {
      case "result":
        log.end(started.result, job.signal);
        return started.result;
      case "stream": {
        const result = await started.relay(log.watch(job.progress));
        log.end(result, job.signal);
        return result;
      }
      case "unauthorized":
        log.end("unauthorized");
        return errorResult("OpenRouter rejected the API key. Log in again, then start the call again.");
      case "background":
        // runsDurably tells the tool it runs durably already; a tool that asks again breaks that contract.
        throw new Error(`${tool.name} asked for a durable call inside its own`);
    }
  } finally {
    log.end("failed");
  }
}
