// JSON-RPC method dispatch: one table per protocol era, from a method's name to what answers it.
// The server's own methods (describing itself, listing the tools) are here; a tools/call is
// mcp/tool-call.ts's, the tasks/ methods mcp/task-requests.ts's, resources/ mcp/resources.ts's.
// How answers are carried (JSON or SSE, keepalives, batches) lives in transport/streamable-http.ts.
import { TOOL_INSTRUCTIONS, toolListJson } from "../tools/index.js";
import { APPS_CAPABILITY, APPS_EXTENSION, declaresApps } from "./apps.js";
import {
  answer,
  failed,
  MODERN_RESULT_FIELDS,
  SERVER_INFO,
  SHARED_CACHE_HINTS,
  type Dispatched,
  type Method,
} from "./answers.js";
import { logUnexpected } from "../log.js";
import { traceIdOf } from "./caller.js";
import {
  ErrorCode,
  failure,
  quoted,
  SerializedResult,
  success,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from "./jsonrpc.js";
import { listResources, readResource } from "./resources.js";
import { cancelTask, getTask, listTasks, taskResult, updateTask } from "./task-requests.js";
import { LEGACY_TASKS_CAPABILITY, TASKS_EXTENSION } from "./tasks.js";
import { callTool } from "./tool-call.js";
import {
  hasLegacyTasks,
  LATEST_LEGACY_VERSION,
  negotiateVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  VERSION_WHEN_HEADER_ABSENT,
  type Era,
} from "./versions.js";
import type { Config } from "../config.js";
import type { DispatchContext } from "./answers.js";

/** Tools, the view as a resource, and the MCP Apps extension (both eras: extensions is only a field). */
const CAPABILITIES = {
  tools: { listChanged: false },
  resources: { listChanged: false },
  extensions: { [APPS_EXTENSION]: APPS_CAPABILITY },
};
/** Durable calls: 2025-11-25's tasks utility, and 2026-07-28's Tasks extension. */
const LEGACY_CAPABILITIES = { ...CAPABILITIES, tasks: LEGACY_TASKS_CAPABILITY };
const MODERN_CAPABILITIES = { ...CAPABILITIES, extensions: { ...CAPABILITIES.extensions, [TASKS_EXTENSION]: {} } };
const MODERN_RESULT_HEAD = JSON.stringify(MODERN_RESULT_FIELDS).slice(0, -1);

/** initialize's result, serialised once per protocol version it can answer with (a legacy one). */
const initializeResults = new Map<string, SerializedResult>();

const initialize: Method = ({ id, params }) => {
  const protocolVersion = negotiateVersion(params?.protocolVersion);
  let result = initializeResults.get(protocolVersion);
  if (result === undefined) {
    const description = {
      protocolVersion,
      // Tasks only in a revision that has them: an older client is offered none.
      capabilities: hasLegacyTasks(protocolVersion) ? LEGACY_CAPABILITIES : CAPABILITIES,
      serverInfo: SERVER_INFO,
      instructions: TOOL_INSTRUCTIONS,
    };
    initializeResults.set(protocolVersion, (result = new SerializedResult(JSON.stringify(description))));
  }
  return { kind: "answer", answer: success(id, result), status: 200 };
};

/** server/discover's result, the same for every request (2026-07-28 only), serialised once. */
const DISCOVER_RESULT = new SerializedResult(
  JSON.stringify({
    ...MODERN_RESULT_FIELDS,
    supportedVersions: SUPPORTED_PROTOCOL_VERSIONS,
    capabilities: MODERN_CAPABILITIES,
    instructions: TOOL_INSTRUCTIONS,
    ...SHARED_CACHE_HINTS,
  }),
);

const discover: Method = ({ id }) => ({ kind: "answer", answer: success(id, DISCOVER_RESULT), status: 200 });

const ping: Method = ({ id }, { era }) => answer(id, era, {});

// 2025-11-25 lists the tools with their taskSupport. It keeps no session: whether initialize
// declared MCP Apps is not known here, so the view is always named (apps.ts).
const listToolsLegacy: Method = ({ id }, { config }) => ({
  kind: "answer",
  answer: success(id, toolListResult(config, "legacy", true)),
  status: 200,
});

const listToolsModern: Method = ({ id, params }, { config }) => ({
  kind: "answer",
  answer: success(id, toolListResult(config, "modern", declaresApps(params))),
  status: 200,
});

/** Per config: each tools/list result, serialised once, by era and by whether the client has MCP Apps. */
const toolListResults = new WeakMap<Config, Map<string, SerializedResult>>();

function toolListResult(config: Config, era: Era, apps: boolean): SerializedResult {
  let results = toolListResults.get(config);
  if (results === undefined) toolListResults.set(config, (results = new Map<string, SerializedResult>()));
  const slot = `${era} ${apps}`;
  let result = results.get(slot);
  if (result === undefined) {
    const tools = toolListJson(config, { taskSupport: era === "legacy", apps });
    const json =
      era === "legacy"
        ? `{"tools":${tools}}`
        : `${MODERN_RESULT_HEAD},"tools":${tools},${JSON.stringify(SHARED_CACHE_HINTS).slice(1)}`;
    results.set(slot, (result = new SerializedResult(json)));
  }
  return result;
}

/** 2025-11-25 and the revisions before it, which begin with initialize. */
const LEGACY_METHODS = new Map<string, Method>([
  ["initialize", initialize],
  ["ping", ping],
  ["tools/list", listToolsLegacy],
  ["tools/call", callTool],
  ["resources/list", listResources],
  ["resources/read", readResource],
  ["tasks/get", getTask],
  ["tasks/result", taskResult],
  ["tasks/list", listTasks],
  ["tasks/cancel", cancelTask],
]);

/** 2026-07-28, where every request describes itself (ping and logging/setLevel are gone). */
const MODERN_METHODS = new Map<string, Method>([
  ["server/discover", discover],
  ["tools/list", listToolsModern],
  ["tools/call", callTool],
  ["resources/list", listResources],
  ["resources/read", readResource],
  ["tasks/get", getTask],
  ["tasks/update", updateTask],
  ["tasks/cancel", cancelTask],
]);

/**
 * What answers `request`, from its era's table. An unexpected error, thrown at once or while a
 * stream relays, is logged once (src/log.ts) and answered with -32603: with HTTP 500 when known
 * at once, inside the stream otherwise.
 */
export async function dispatch(request: JsonRpcRequest, context: DispatchContext): Promise<Dispatched> {
  // Closed over instead of `request`, whose arguments (up to 16 MiB) a stream would keep alive.
  const { id, method } = request;
  const meta = request.params?._meta;
  const unexpected = (error: unknown, where: string): JsonRpcResponse => {
    logUnexpected(error, { what: method, where, traceId: traceIdOf(meta) });
    return failure(id, {
      code: ErrorCode.InternalError,
      message: "Internal error while handling the request.",
    });
  };
  try {
    const dispatched = await answerOf(request, context);
    if (dispatched.kind !== "stream") return dispatched;
    const { relay } = dispatched;
    return { ...dispatched, relay: (notify) => relay(notify).catch((error: unknown) => unexpected(error, "relay")) };
  } catch (error) {
    return { kind: "answer", answer: unexpected(error, "dispatch"), status: 500 };
  }
}

function answerOf(request: JsonRpcRequest, context: DispatchContext): Dispatched | Promise<Dispatched> {
  const modern = context.era === "modern";
  const method = (modern ? MODERN_METHODS : LEGACY_METHODS).get(request.method);
  const tasksTooNew = !modern && request.method.startsWith("tasks/") && !hasLegacyTasks(context.protocolVersion);
  if (method && !tasksTooNew) return method(request, context);
  // The modern era answers a method it does not have with HTTP 404.
  const message = tasksTooNew
    ? `Method not found: ${quoted(request.method)}: tasks came with protocol ${LATEST_LEGACY_VERSION}, and this request ` +
      `speaks ${context.protocolVersion} (its MCP-Protocol-Version header says which; without one, ${VERSION_WHEN_HEADER_ABSENT}).`
    : `Method not found: ${quoted(request.method)}`;
  return failed(request.id, { code: ErrorCode.MethodNotFound, message }, modern ? 404 : 200);
}
