// JSON-RPC 2.0 shapes and classification, written by hand: MCP needs only a small subset.
import * as z from "zod/mini";
import { BATCH_PROTOCOL_VERSION } from "./versions.js";

export type JsonRpcId = string | number;

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Server-defined (JSON-RPC reserves -32000 to -32099): no key, or one OpenRouter refused. */
  Unauthorized: -32001,
} as const;

export interface JsonRpcRequest {
  kind: "request";
  id: JsonRpcId;
  method: string;
  params: Record<string, unknown> | undefined;
}

interface JsonRpcNotification {
  kind: "notification";
  method: string;
}

/** A response the client sends us (to a server request we never make): accepted and ignored. */
interface JsonRpcClientResponse {
  kind: "response";
}

interface JsonRpcInvalid {
  kind: "invalid";
  /** The id, when one could be read, so the error can be correlated. */
  id: JsonRpcId | null;
  message: string;
}

export type IncomingMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcClientResponse | JsonRpcInvalid;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

const id = z.union([z.string(), z.int()]);
const params = z.optional(z.record(z.string(), z.unknown()));

const requestShape = z.object({ jsonrpc: z.literal("2.0"), id, method: z.string(), params });
const notificationShape = z.object({ jsonrpc: z.literal("2.0"), method: z.string(), params });
const responseShape = z.union([
  z.object({ jsonrpc: z.literal("2.0"), id: z.nullable(id), result: z.unknown() }),
  z.object({
    jsonrpc: z.literal("2.0"),
    id: z.nullable(id),
    error: z.object({ code: z.number(), message: z.string() }),
  }),
]);

/** A request body read as JSON-RPC: its messages, or why it cannot be read (answered with HTTP 400). */
type ParsedBody = { isBatch: boolean; messages: IncomingMessage[]; payload: unknown } | { error: JsonRpcErrorObject };

/** Parses a body into one message, or a batch where `protocolVersion` allows batches. */
export function parseBody(text: string, protocolVersion: string): ParsedBody {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { error: { code: ErrorCode.ParseError, message: "Parse error: the body is not valid JSON." } };
  }
  if (!Array.isArray(payload)) return { isBatch: false, messages: [classifyMessage(payload)], payload };
  if (payload.length === 0) return { error: { code: ErrorCode.InvalidRequest, message: "Invalid Request: empty batch." } };
  if (protocolVersion !== BATCH_PROTOCOL_VERSION) {
    return {
      error: {
        code: ErrorCode.InvalidRequest,
        message: `Invalid Request: JSON-RPC batches are only part of protocol version ${BATCH_PROTOCOL_VERSION}, not ${protocolVersion}. Send one message per request.`,
      },
    };
  }
  return { isBatch: true, messages: payload.map(classifyMessage), payload };
}

/** Sorts one parsed JSON value into request, notification, client response or invalid. */
export function classifyMessage(value: unknown): IncomingMessage {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "invalid", id: null, message: "Invalid Request: a JSON-RPC message must be an object" };
  }
  const record = value as Record<string, unknown>;
  if ("method" in record) {
    if ("id" in record) {
      const parsed = z.safeParse(requestShape, record);
      if (parsed.success) {
        const { id, method, params } = parsed.data;
        return { kind: "request", id, method, params };
      }
      return { kind: "invalid", id: readableId(record.id), message: describeInvalid(record) };
    }
    const parsed = z.safeParse(notificationShape, record);
    if (parsed.success) return { kind: "notification", method: parsed.data.method };
    return { kind: "invalid", id: null, message: describeInvalid(record) };
  }
  if (z.safeParse(responseShape, record).success) return { kind: "response" };
  return { kind: "invalid", id: readableId(record.id), message: describeInvalid(record) };
}

function readableId(value: unknown): JsonRpcId | null {
  return typeof value === "string" || (typeof value === "number" && Number.isInteger(value)) ? value : null;
}

function describeInvalid(record: Record<string, unknown>): string {
  if (record.jsonrpc !== "2.0") return 'Invalid Request: "jsonrpc" must be "2.0"';
  if ("method" in record && typeof record.method !== "string") return 'Invalid Request: "method" must be a string';
  if ("id" in record && readableId(record.id) === null) {
    return 'Invalid Request: "id" must be a string or an integer';
  }
  if ("params" in record) return 'Invalid Request: "params" must be an object';
  return "Invalid Request: not a JSON-RPC request, notification or response";
}

// Serialisers write the envelope by hand so a large result is stringified once.

export function successJson(id: JsonRpcId | null, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

export function errorJson(id: JsonRpcId | null, error: JsonRpcErrorObject): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(error)}}`;
}
