// JSON-RPC method dispatch: what each MCP method answers, and the HTTP status a lone answer
// calls for (the modern era answers an unknown method with 404). How answers are carried
// (JSON versus SSE, keepalive, batches) lives in transport/streamable-http.ts.
import * as z from "zod/mini";
import { name as packageName, version as packageVersion } from "../../package.json";
import { CallLog } from "../tools/call-log.js";
import { findTool, TOOL_INSTRUCTIONS, TOOLS, toolListJson } from "../tools/index.js";
import type { DurableBindings } from "../durable/bindings.js";
import type { CallToolResult } from "../tool-result.js";
import { NO_PROGRESS, type KeyProblem, type Tool, type ToolCallContext } from "../tools/tool.js";
import { APPS_CAPABILITY, APPS_EXTENSION, declaresApps, RESOURCE_LIST } from "./apps.js";
import { callerOf } from "./caller.js";
import { META_SERVER_INFO } from "./era.js";
import { callAsTask, taskMethod, type TaskAnswer } from "./task-requests.js";
import { declaresTasks, LEGACY_TASKS_CAPABILITY, TASKS_EXTENSION, tasksExtensionRequired } from "./tasks.js";
import {
  ErrorCode,
  failure,
  MAX_ID_CHARACTERS,
  quoted,
  SerializedResult,
  success,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type OutgoingNotification,
} from "./jsonrpc.js";
import { ProgressNotifier } from "./progress.js";
import { readResource } from "./resources.js";
import { negotiateVersion, SUPPORTED_PROTOCOL_VERSIONS, type Era } from "./versions.js";

export interface DispatchContext extends ToolCallContext {
  era: Era;
  /** Durable calls (MCP Tasks, background completions), when wrangler.toml binds them. */
  durable: DurableBindings | undefined;
  /** Keeps work going after the client has gone (e.g. cancelling a call nobody can fetch). */
  waitUntil(promise: Promise<unknown>): void;
  /** The MCP Apps view's HTML (apps.ts reads it from the static assets); undefined when there is none. */
  view(): Promise<string | undefined>;
}

export type Dispatched =
  /** A complete JSON-RPC response, and the HTTP status it calls for when sent alone. */
  | { kind: "answer"; answer: JsonRpcResponse; status: number }
  /**
   * A tool call that streams: relay() resolves to the JSON-RPC response once the answer is whole,
   * writing progress notifications through `notify` meanwhile when the response can carry them.
   */
  | { kind: "stream"; id: JsonRpcId; relay: (notify: Notify | undefined) => Promise<JsonRpcResponse> }
  /** The request needs the person's key: answered with HTTP 401. */
  | { kind: "unauthorized"; id: JsonRpcId; reason: KeyProblem };

/** Sends one JSON-RPC notification to the client, as soon as possible. */
export type Notify = (notification: OutgoingNotification) => void;

const SERVER_INFO = { name: packageName, title: "OpenRouter MCP", version: packageVersion };
/** Tools, the view as a resource, and the MCP Apps extension (both eras: extensions is only a field). */
const CAPABILITIES = {
  tools: { listChanged: false },
  resources: { listChanged: false },
  extensions: { [APPS_EXTENSION]: APPS_CAPABILITY },
};
/** With durable calls: 2025-11-25's tasks utility, and 2026-07-28's Tasks extension. */
const LEGACY_CAPABILITIES_WITH_TASKS = { ...CAPABILITIES, tasks: LEGACY_TASKS_CAPABILITY };
const MODERN_CAPABILITIES_WITH_TASKS = {
  ...CAPABILITIES,
  extensions: { ...CAPABILITIES.extensions, [TASKS_EXTENSION]: {} },
};
/** How long clients and shared caches may keep tools/list and server/discover (modern era). */
const LIST_TTL_MS = 3_600_000;

/** Fields every modern-era result carries. */
const MODERN_RESULT_FIELDS = { resultType: "complete", _meta: { [META_SERVER_INFO]: SERVER_INFO } } as const;
const MODERN_RESULT_HEAD = JSON.stringify(MODERN_RESULT_FIELDS).slice(0, -1);

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

export async function dispatch(request: JsonRpcRequest, context: DispatchContext): Promise<Dispatched> {
  const { id, method, params } = request;
  const modern = context.era === "modern";
  const complete = (result: object): JsonRpcResponse =>
    success(id, modern ? { ...MODERN_RESULT_FIELDS, ...result } : result);
  const reply = (result: object): Dispatched => ({ kind: "answer", answer: complete(result), status: 200 });
  const fail = (error: JsonRpcErrorObject, status = 200): Dispatched => ({
    kind: "answer",
    answer: failure(id, error),
    status,
  });

  switch (modern ? `modern:${method}` : method) {
    case "modern:server/discover":
      return reply({
        supportedVersions: SUPPORTED_PROTOCOL_VERSIONS,
        capabilities: context.durable ? MODERN_CAPABILITIES_WITH_TASKS : CAPABILITIES,
        instructions: TOOL_INSTRUCTIONS,
        ttlMs: LIST_TTL_MS,
        cacheScope: "public",
      });
    case "initialize":
      return reply({
        protocolVersion: negotiateVersion(params?.protocolVersion),
        capabilities: context.durable ? LEGACY_CAPABILITIES_WITH_TASKS : CAPABILITIES,
        serverInfo: SERVER_INFO,
        instructions: TOOL_INSTRUCTIONS,
      });
    case "ping":
      return reply({});
    // The tool list is spliced in as text (see toolListJson).
    case "tools/list":
      return {
        kind: "answer",
        answer: success(
          id,
          // No session: whether initialize declared MCP Apps is not known here, so the view is always named (apps.ts).
          new SerializedResult(
            `{"tools":${toolListJson(context.config, { taskSupport: context.durable !== undefined, apps: true })}}`,
          ),
        ),
        status: 200,
      };
    case "modern:tools/list": {
      const tools = toolListJson(context.config, { taskSupport: false, apps: declaresApps(params) });
      return {
        kind: "answer",
        answer: success(
          id,
          new SerializedResult(`${MODERN_RESULT_HEAD},"tools":${tools},"ttlMs":${LIST_TTL_MS},"cacheScope":"public"}`),
        ),
        status: 200,
      };
    }
    case "resources/list":
    case "modern:resources/list":
      return reply(RESOURCE_LIST);
    case "resources/read":
    case "modern:resources/read": {
      const answer = await readResource(params, context);
      if (answer === "unauthorized") return { kind: "unauthorized", id, reason: "missing" };
      return "error" in answer ? fail(answer.error) : reply(answer.result);
    }
    case "tools/call":
    case "modern:tools/call": {
      const parsed = z.safeParse(callParams, params ?? {});
      if (!parsed.success) {
        const tokenIssue = parsed.error.issues.find((issue) => issue.path.at(-1) === "progressToken");
        const message = tokenIssue
          ? `Invalid params: _meta.progressToken ${tokenIssue.message}`
          : 'Invalid params: tools/call needs {"name": string, "arguments"?: object}';
        return fail({ code: ErrorCode.InvalidParams, message });
      }
      const { name, arguments: args, _meta } = parsed.data;
      const tool = findTool(name);
      if (!tool) {
        const offered = TOOLS.map((t) => t.name).join(", ");
        return fail({
          code: ErrorCode.InvalidParams,
          message: `Unknown tool: ${quoted(name)}. This server offers: ${offered}.`,
        });
      }
      // One log line per call (tools/call-log.ts), with who asked and under which trace.
      const caller = context.caller && callerOf(context.caller, params?._meta);
      const callContext = { ...context, caller };
      const log = new CallLog(name, args, caller, context.clock);
      const asTask = await taskCall(tool, args, params, _meta?.progressToken, callContext);
      if (asTask) {
        log.end(asTask === "unauthorized" ? "unauthorized" : "error" in asTask ? "refused" : "task");
        return asTask === "unauthorized" ? { kind: "unauthorized", id, reason: "missing" } : fromTaskAnswer(asTask);
      }
      const started = await tool.call(args, callContext);
      switch (started.kind) {
        case "result":
          log.end(started.result);
          return reply(started.result);
        case "unauthorized":
          log.end("unauthorized");
          return { kind: "unauthorized", id, reason: started.reason };
        default: {
          const token = _meta?.progressToken;
          return {
            kind: "stream",
            id,
            relay: async (notify) => {
              const progress =
                token !== undefined && notify
                  ? new ProgressNotifier(
                      token,
                      started.progressTotal,
                      context.config.progressIntervalMs,
                      notify,
                      context.clock,
                    )
                  : undefined;
              try {
                const result: CallToolResult = await started.relay(log.watch(progress ?? NO_PROGRESS));
                log.end(result, context.signal);
                progress?.complete();
                return complete(result);
              } finally {
                log.end("failed");
                progress?.stop();
              }
            },
          };
        }
      }
    }
    case "tasks/get":
    case "tasks/result":
    case "tasks/list":
    case "tasks/cancel":
    case "modern:tasks/get":
    case "modern:tasks/update":
    case "modern:tasks/cancel": {
      if (!context.durable) break;
      // -32021 is answered with HTTP 400, as the revision says (basic/index).
      if (modern && !declaresTasks(params)) return fail(tasksExtensionRequired(method), 400);
      if (!context.key) return { kind: "unauthorized", id, reason: "missing" };
      const answer = await taskMethod(method, params, { ...context, durable: context.durable, key: context.key });
      if (answer) return fromTaskAnswer(answer);
      break;
    }
  }
  // Reached by a method this server does not have (tools/call's case always returns).
  // The modern era answers an unknown method with HTTP 404 (ping and logging/setLevel are gone there).
  return fail({ code: ErrorCode.MethodNotFound, message: `Method not found: ${quoted(method)}` }, modern ? 404 : 200);

  function fromTaskAnswer(answer: TaskAnswer): Dispatched {
    if ("result" in answer) return reply(answer.result);
    if ("error" in answer) return fail(answer.error);
    const { stream } = answer;
    return {
      kind: "stream",
      id,
      relay: async (notify) => {
        const settled = await stream(notify, context.signal);
        return "error" in settled ? failure(id, settled.error) : complete(settled.result);
      },
    };
  }
}

/**
 * Whether this tools/call runs as a task, and if so its answer: 2025-11-25 when the client sent
 * params.task (for a tool that supports tasks: others answer -32601, as the utility says), and
 * 2026-07-28 when the request declared the Tasks extension. Bad arguments never start a task.
 */
async function taskCall(
  tool: Tool,
  args: unknown,
  params: Record<string, unknown> | undefined,
  progressToken: string | number | undefined,
  context: DispatchContext,
): Promise<TaskAnswer | "unauthorized" | undefined> {
  const { durable } = context;
  if (!durable) return undefined;
  const modern = context.era === "modern";
  if (modern ? !declaresTasks(params) : params?.task === undefined) return undefined;
  if (!tool.check) {
    return modern
      ? undefined
      : {
          error: {
            code: ErrorCode.MethodNotFound,
            message: `Tool ${quoted(tool.name)} does not run as a task: call it without "task".`,
          },
        };
  }
  // The key first: a caller without one never has its arguments read.
  if (!context.key) return "unauthorized";
  const problem = tool.check(args, context.config);
  if (problem) {
    // A plain call answers the tool error; a task request (2025-11-25) is refused with its words.
    return modern
      ? undefined
      : { error: { code: ErrorCode.InvalidParams, message: problem.content.map((c) => c.text).join(" ") } };
  }
  return callAsTask(tool, args, progressToken, { ...context, durable, key: context.key });
}
