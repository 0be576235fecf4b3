// JSON-RPC method dispatch: what each MCP method answers, and the HTTP status a lone answer
// calls for (the modern era answers an unknown method with 404). How answers are carried
// (JSON versus SSE, keepalive, batches) lives in transport/streamable-http.ts.
import * as z from "zod/mini";
import { name as packageName, version as packageVersion } from "../../package.json";
import type { AuthFailure } from "../auth/bearer.js";
import type { Config } from "../config.js";
import { findTool, TOOLS, toolListJson } from "../tools/index.js";
import { META_SERVER_INFO } from "./era.js";
import { ErrorCode, errorJson, successJson, type JsonRpcErrorObject, type JsonRpcRequest } from "./jsonrpc.js";
import { NO_PROGRESS, ProgressNotifier } from "./progress.js";
import { negotiateVersion, SUPPORTED_PROTOCOL_VERSIONS, type Era } from "./versions.js";

export interface DispatchContext {
  era: Era;
  config: Config;
  key: string | undefined;
  origin: string;
  signal: AbortSignal;
}

export type Dispatched =
  /** A complete JSON-RPC response, and the HTTP status it calls for when sent alone. */
  | { kind: "response"; json: string; status: number }
  /**
   * A tool call that streams: relay() resolves to the JSON-RPC response once the answer is whole,
   * writing progress notifications through `notify` meanwhile when the response can carry them.
   */
  | { kind: "stream"; id: JsonRpcRequest["id"]; relay: (notify: Notify | undefined) => Promise<string> }
  /** The request needs the person's key: answered with HTTP 401. */
  | { kind: "unauthorized"; id: JsonRpcRequest["id"]; reason: AuthFailure };

/** Writes one JSON-RPC notification to the client, as soon as possible. */
export type Notify = (json: string) => void;

const INSTRUCTIONS =
  "Call chat_completion with a prompt (or a whole conversation as messages) to get an answer from a model on OpenRouter. " +
  "Optional: model, system, max_tokens, temperature, reasoning for thinking models, routing (models, provider). " +
  "Call list_models to find a model id by name, price, context length or modality. " +
  "Progress notifications report tokens as they stream, thinking included.";

const SERVER_INFO = { name: packageName, title: "OpenRouter MCP", version: packageVersion };
const CAPABILITIES = { tools: { listChanged: false } };
/** How long clients and shared caches may keep tools/list and server/discover (modern era). */
const LIST_TTL_MS = 3_600_000;

/** Fields every modern-era result carries; spliced into results serialised elsewhere. */
const MODERN_RESULT_HEAD = `{"resultType":"complete","_meta":${JSON.stringify({ [META_SERVER_INFO]: SERVER_INFO })}`;

function modernResult(resultJson: string): string {
  return resultJson === "{}" ? `${MODERN_RESULT_HEAD}}` : `${MODERN_RESULT_HEAD},${resultJson.slice(1)}`;
}

const callParams = z.object({
  name: z.string(),
  arguments: z.optional(z.unknown()),
  _meta: z.optional(z.object({ progressToken: z.optional(z.union([z.string(), z.number()])) })),
});

export async function dispatch(request: JsonRpcRequest, context: DispatchContext): Promise<Dispatched> {
  const { id, method, params } = request;
  const modern = context.era === "modern";
  const wrap = modern ? modernResult : (resultJson: string) => resultJson;
  const reply = (resultJson: string): Dispatched => ({ kind: "response", json: successJson(id, wrap(resultJson)), status: 200 });
  const fail = (error: JsonRpcErrorObject, status = 200): Dispatched => ({ kind: "response", json: errorJson(id, error), status });

  switch (modern ? `modern:${method}` : method) {
    case "modern:server/discover":
      return reply(
        JSON.stringify({
          supportedVersions: SUPPORTED_PROTOCOL_VERSIONS,
          capabilities: CAPABILITIES,
          instructions: INSTRUCTIONS,
          ttlMs: LIST_TTL_MS,
          cacheScope: "public",
        }),
      );
    case "initialize": {
      const version = negotiateVersion(params?.protocolVersion);
      return reply(
        JSON.stringify({
          protocolVersion: version,
          capabilities: CAPABILITIES,
          serverInfo: SERVER_INFO,
          instructions: INSTRUCTIONS,
        }),
      );
    }
    case "ping":
      return reply("{}");
    case "tools/list":
      return reply(`{"tools":${toolListJson(context.config)}}`);
    case "modern:tools/list":
      return reply(`{"tools":${toolListJson(context.config)},"ttlMs":${LIST_TTL_MS},"cacheScope":"public"}`);
    case "tools/call":
    case "modern:tools/call": {
      const parsed = z.safeParse(callParams, params ?? {});
      if (!parsed.success) {
        return fail({ code: ErrorCode.InvalidParams, message: 'Invalid params: tools/call needs {"name": string, "arguments"?: object}' });
      }
      const { name, arguments: args, _meta } = parsed.data;
      const tool = findTool(name);
      if (!tool) {
        const offered = TOOLS.map((t) => t.name).join(", ");
        return fail({ code: ErrorCode.InvalidParams, message: `Unknown tool: ${name}. This server offers: ${offered}.` });
      }
      const started = await tool.call(args, context);
      switch (started.kind) {
        case "result":
          return reply(started.resultJson);
        case "unauthorized":
          return { kind: "unauthorized", id, reason: started.reason };
        case "stream": {
          const token = _meta?.progressToken;
          return {
            kind: "stream",
            id,
            relay: async (notify) => {
              const progress =
                token !== undefined && notify
                  ? new ProgressNotifier(token, started.progressTotal, context.config.progressIntervalMs, notify)
                  : undefined;
              try {
                const resultJson = await started.relay(progress ?? NO_PROGRESS);
                progress?.complete();
                return successJson(id, wrap(resultJson));
              } finally {
                progress?.stop();
              }
            },
          };
        }
      }
    }
    // falls through: every case above returns
    default:
      // The modern era answers an unknown method with HTTP 404 (ping and logging/setLevel are gone there).
      return fail({ code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` }, modern ? 404 : 200);
  }
}
