// JSON-RPC 2.0, written by hand: MCP needs only a small subset. A body is parsed here once, into
// typed messages that everything after (era detection, cancellation, dispatch) reads; answers are
// plain objects until the transport serialises them.
import * as z from "zod/mini";
import { integer } from "../decode.js";
import { BATCH_PROTOCOL_VERSION } from "./versions.js";

export type JsonRpcId = string | number;

/** Every error code this server answers with, named once: JSON-RPC's own, MCP's, and this server's. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Server-defined (JSON-RPC reserves -32000 to -32099): no key, or one OpenRouter refused. */
  Unauthorized: -32001,
  /** Server-defined: past this server's rate limit for the key (HTTP 429, Retry-After). */
  RateLimited: -32005,
  /** Server-defined: this request cannot be served just now (HTTP 503, Retry-After): try again then. */
  Unavailable: -32006,
  /** MCP: a resource that does not exist (or that this key may not see). */
  ResourceNotFound: -32002,
  /** 2026-07-28: a header does not repeat what the body says (HTTP 400). */
  HeaderMismatch: -32020,
  /** 2026-07-28: a request needs a client capability the client did not declare (HTTP 400). */
  MissingCapability: -32021,
  /** 2026-07-28: a protocol version this server does not speak, with the ones it does (HTTP 400). */
  UnsupportedProtocolVersion: -32022,
} as const;

/**
 * The longest string id we take. Every answer echoes the id (and a stream's every progress
 * notification its token), so a longer one only makes answers large.
 */
export const MAX_ID_CHARACTERS = 256;

/** A JSON batch may hold at most this many messages: each is answered and kept until all are. */
export const MAX_BATCH_MEMBERS = 32;

type Params = Record<string, unknown>;

export interface JsonRpcRequest {
  kind: "request";
  id: JsonRpcId;
  method: string;
  params: Params | undefined;
}

export interface JsonRpcNotification {
  kind: "notification";
  method: string;
  params: Params | undefined;
}

/** A response the client sends us (to a server request we never make): accepted and ignored. */
interface JsonRpcClientResponse {
  kind: "response";
  id: JsonRpcId | null;
}

export interface JsonRpcInvalid {
  kind: "invalid";
  /** The id, when one could be read, so the error can be correlated. */
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

export type IncomingMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcClientResponse | JsonRpcInvalid;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** What we answer one request with, as an object: the transport serialises it. */
export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: JsonRpcId | null; result: object }
  | { jsonrpc: "2.0"; id: JsonRpcId | null; error: JsonRpcErrorObject };

export function success(id: JsonRpcId | null, result: object): JsonRpcResponse {
  return { jsonrpc: "2.0", id, result };
}

export function failure(id: JsonRpcId | null, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error };
}

/** A notification we send (progress), as an object until the transport serialises it. */
export interface OutgoingNotification {
  jsonrpc: "2.0";
  method: string;
  params: object;
}

const utf8 = new TextEncoder();

/**
 * A result serialised ahead, once, as text and as UTF-8: one whose text is the same for every
 * request (the tool list), kept by whoever makes it. messageJson splices the text in, and
 * messageBody copies the bytes in rather than encoding them again.
 */
export class SerializedResult {
  readonly bytes: Uint8Array;

  constructor(readonly json: string) {
    this.bytes = utf8.encode(json);
  }
}

/** The one serialiser of what we send: the transport calls it once per message, as it sends it. */
export function messageJson(message: JsonRpcResponse | OutgoingNotification): string {
  if ("result" in message && message.result instanceof SerializedResult) {
    return `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${message.result.json}}`;
  }
  return JSON.stringify(message);
}

/** A lone response as the body that carries it: its JSON, or for a result serialised ahead, bytes. */
export function messageBody(message: JsonRpcResponse): string | Uint8Array<ArrayBuffer> {
  if (!("result" in message && message.result instanceof SerializedResult)) return messageJson(message);
  const head = utf8.encode(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`);
  const { bytes } = message.result;
  const body = new Uint8Array(head.length + bytes.length + 1);
  body.set(head);
  body.set(bytes, head.length);
  body[body.length - 1] = CLOSING_BRACE;
  return body;
}

const CLOSING_BRACE = "}".charCodeAt(0);

const id = z.union([z.string().check(z.maxLength(MAX_ID_CHARACTERS)), integer()]);
const params = z.optional(z.looseObject({}));

const requestShape = z.object({ jsonrpc: z.enum(["2.0"]), id, method: z.string(), params });
const notificationShape = z.object({ jsonrpc: z.enum(["2.0"]), method: z.string(), params });
const responseShape = z.union([
  z.object({ jsonrpc: z.enum(["2.0"]), id: z.nullable(id), result: z.unknown() }),
  z.object({
    jsonrpc: z.enum(["2.0"]),
    id: z.nullable(id),
    error: z.object({ code: z.number(), message: z.string() }),
  }),
]);

/** A request body read as JSON-RPC: its messages, or why it cannot be read (answered with HTTP 400). */
export type ParsedBody =
  { ok: true; isBatch: boolean; messages: IncomingMessage[] } | { ok: false; error: JsonRpcErrorObject };

/** Parses a body into one message, or a batch where `protocolVersion` allows batches. */
export function parseBody(text: string, protocolVersion: string): ParsedBody {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: ErrorCode.ParseError, message: "Parse error: the body is not valid JSON." } };
  }
  if (!Array.isArray(payload)) return { ok: true, isBatch: false, messages: [classifyMessage(payload)] };
  if (payload.length === 0) return { ok: false, error: invalidRequest("empty batch.") };
  if (protocolVersion !== BATCH_PROTOCOL_VERSION) {
    return {
      ok: false,
      error: invalidRequest(
        `JSON-RPC batches are only part of protocol version ${BATCH_PROTOCOL_VERSION}, not ${protocolVersion}. Send one message per request.`,
      ),
    };
  }
  if (payload.length > MAX_BATCH_MEMBERS) {
    return {
      ok: false,
      error: invalidRequest(
        `a batch may hold at most ${MAX_BATCH_MEMBERS} messages, not ${payload.length}. Send the rest in further requests.`,
      ),
    };
  }
  return { ok: true, isBatch: true, messages: payload.map(classifyMessage) };
}

/** Sorts one parsed JSON value into request, notification, client response or invalid. */
export function classifyMessage(value: unknown): IncomingMessage {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "invalid", id: null, error: invalidRequest("a JSON-RPC message must be an object") };
  }
  const record = value as Record<string, unknown>;
  if ("method" in record) {
    if ("id" in record) {
      const parsed = z.safeParse(requestShape, record);
      if (parsed.success) {
        const { id, method, params } = parsed.data;
        return { kind: "request", id, method, params };
      }
      return invalid(record);
    }
    const parsed = z.safeParse(notificationShape, record);
    if (parsed.success) return { kind: "notification", method: parsed.data.method, params: parsed.data.params };
    return invalid(record);
  }
  const response = z.safeParse(responseShape, record);
  if (response.success) return { kind: "response", id: response.data.id };
  return invalid(record);
}

/** A client's text quoted back in an error message, cut short: an answer must not grow with what was sent. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > QUOTED_CHARACTERS ? `${text.slice(0, QUOTED_CHARACTERS)}…` : text);
}

const QUOTED_CHARACTERS = 100;

function invalidRequest(detail: string): JsonRpcErrorObject {
  return { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${detail}` };
}

function invalid(record: Record<string, unknown>): JsonRpcInvalid {
  const id = "method" in record && !("id" in record) ? null : readableId(record.id);
  return { kind: "invalid", id, error: invalidRequest(describeInvalid(record)) };
}

function readableId(value: unknown): JsonRpcId | null {
  if (typeof value === "string") return value.length <= MAX_ID_CHARACTERS ? value : null;
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

function describeInvalid(record: Record<string, unknown>): string {
  if (record.jsonrpc !== "2.0") return '"jsonrpc" must be "2.0"';
  if ("method" in record && typeof record.method !== "string") return '"method" must be a string';
  if (typeof record.id === "string" && record.id.length > MAX_ID_CHARACTERS)
    return `"id" must be at most ${MAX_ID_CHARACTERS} characters`;
  if ("id" in record && readableId(record.id) === null) return '"id" must be a string or an integer';
  if ("params" in record) return '"params" must be an object';
  return "not a JSON-RPC request, notification or response";
}
