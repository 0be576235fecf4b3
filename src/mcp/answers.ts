// What a dispatched request answers, and what every method is handed: the JSON-RPC response now
// (with the HTTP status a lone answer calls for), one that streams, or a 401 for the person's
// key. How answers are carried (JSON or SSE, keepalives, batches) is transport/streamable-http.ts's.
import { name as packageName, version as packageVersion } from "../../package.json";
import type { DurableCalls } from "../durable/calls.js";
import type { KeyProblem, ToolCallContext } from "../tools/tool.js";
import { META_SERVER_INFO } from "./era.js";
import {
  failure,
  success,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type OutgoingNotification,
} from "./jsonrpc.js";
import type { Era } from "./versions.js";

export interface DispatchContext extends ToolCallContext {
  era: Era;
  /**
   * The revision the request speaks: its MCP-Protocol-Version header, or 2025-03-26 when it has
   * none, as the transport says to assume (initialize negotiates its own from its params).
   */
  protocolVersion: string;
  /** The caller's durable calls (MCP Tasks, background completions): there is one with a key. */
  calls: DurableCalls | undefined;
  /** Keeps work going after the client has gone (e.g. cancelling a call nobody can fetch). */
  waitUntil(promise: Promise<unknown>): void;
  /** The MCP Apps view's HTML (apps.ts reads it from the static assets); undefined when there is none. */
  view(): Promise<string | undefined>;
}

export type Dispatched =
  /** A complete JSON-RPC response, and the HTTP status it calls for when sent alone. */
  | { kind: "answer"; answer: JsonRpcResponse; status: number }
  /**
   * A response that comes later: relay() resolves to it, writing progress notifications through
   * `notify` meanwhile when the response can carry them.
   */
  | { kind: "stream"; id: JsonRpcId; relay: (notify: Notify | undefined) => Promise<JsonRpcResponse> }
  /** The request needs the person's key: answered with HTTP 401. */
  | { kind: "unauthorized"; id: JsonRpcId; reason: KeyProblem };

/** What answers one JSON-RPC method: the method table (dispatch.ts) holds one per method and era. */
export type Method = (request: JsonRpcRequest, context: DispatchContext) => Dispatched | Promise<Dispatched>;

/** Sends one JSON-RPC notification to the client, as soon as possible. */
export type Notify = (notification: OutgoingNotification) => void;

export const SERVER_INFO = { name: packageName, title: "OpenRouter MCP", version: packageVersion };

/** Fields every modern-era result carries. */
export const MODERN_RESULT_FIELDS = {
  resultType: "complete",
  _meta: { [META_SERVER_INFO]: SERVER_INFO },
} as const;

/**
 * 2026-07-28's caching hints (server/utilities/caching) for what every caller gets alike: the
 * tool list, server/discover, the resource list and the view. They change only with a deploy.
 */
export const SHARED_CACHE_HINTS = { ttlMs: 3_600_000, cacheScope: "public" } as const;

/** A result as `era` sends it: the modern era adds its fields to every one. */
export function resultOf(id: JsonRpcId, era: Era, result: object): JsonRpcResponse {
  return success(id, era === "modern" ? { ...MODERN_RESULT_FIELDS, ...result } : result);
}

export function answer(id: JsonRpcId, era: Era, result: object): Dispatched {
  return { kind: "answer", answer: resultOf(id, era, result), status: 200 };
}

/** A JSON-RPC error, answered with HTTP 200 unless the era asks for another status. */
export function failed(id: JsonRpcId, error: JsonRpcErrorObject, status = 200): Dispatched {
  return { kind: "answer", answer: failure(id, error), status };
}

export function unauthorized(id: JsonRpcId, reason: KeyProblem = "missing"): Dispatched {
  return { kind: "unauthorized", id, reason };
}
