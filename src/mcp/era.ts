// Dual-era serving: which protocol era a request speaks, and the checks the modern era
// (2026-07-28) makes on every request, where nothing is negotiated in advance.
import * as z from "zod/mini";
import { ErrorCode, quoted, type IncomingMessage, type JsonRpcErrorObject, type JsonRpcId } from "./jsonrpc.js";
import { isModernVersion, isSupportedVersion, SUPPORTED_PROTOCOL_VERSIONS, type Era } from "./versions.js";

const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
export const META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";

/** What the modern revision requires `_meta`'s client capabilities to be: an object (neither null nor an array). */
const clientCapabilities = z.looseObject({});

export interface Rejection {
  status: number;
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

/**
 * `initialize` and legacy versions keep legacy behaviour. A modern version in the header, or
 * (without a header) a modern version in `_meta`, selects the modern rules. A batch is legacy:
 * only a legacy revision has batches.
 */
export function detectEra(versionHeader: string | null, message: IncomingMessage | undefined): Era {
  if (message?.kind === "request" && message.method === "initialize") return "legacy";
  if (versionHeader !== null) return isModernVersion(versionHeader) ? "modern" : "legacy";
  return metaOf(message)?.[META_PROTOCOL_VERSION] !== undefined ? "modern" : "legacy";
}

export function unsupportedVersion(requested: string, id: JsonRpcId | null = null): Rejection {
  return {
    status: 400,
    id,
    error: {
      code: ErrorCode.UnsupportedProtocolVersion,
      message: `Unsupported protocol version "${requested}". Supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}.`,
      data: { supported: SUPPORTED_PROTOCOL_VERSIONS, requested },
    },
  };
}

/**
 * Checks a modern message's `_meta` and its mirrored headers; undefined when all is well, or
 * when the message is invalid (the JSON-RPC layer answers it).
 */
export function checkModernRequest(message: IncomingMessage, headers: Headers): Rejection | undefined {
  if (message.kind === "invalid") return undefined;
  const id = message.kind === "notification" ? null : message.id;
  const isRequest = message.kind === "request";
  const mismatch = (text: string): Rejection => ({
    status: 400,
    id,
    error: { code: ErrorCode.HeaderMismatch, message: `Header mismatch: ${text}` },
  });
  const invalid = (text: string): Rejection => ({
    status: 400,
    id,
    error: { code: ErrorCode.InvalidParams, message: text },
  });

  if (message.kind === "response") {
    return {
      status: 400,
      id,
      error: {
        code: ErrorCode.InvalidRequest,
        message: "Invalid Request: clients do not send responses in protocol 2026-07-28.",
      },
    };
  }
  const header = headers.get("MCP-Protocol-Version");
  if (header === null) return mismatch("the MCP-Protocol-Version header is required.");
  const meta = metaOf(message);
  const version = meta?.[META_PROTOCOL_VERSION];
  if (isRequest) {
    if (typeof version !== "string") {
      return invalid(`Invalid params: _meta["${META_PROTOCOL_VERSION}"] is required in protocol ${header}.`);
    }
    if (version !== header) {
      return mismatch(`MCP-Protocol-Version header "${header}" does not match _meta protocol version "${version}".`);
    }
  }
  if (!isSupportedVersion(header)) return unsupportedVersion(header, id);
  if (isRequest && !z.safeParse(clientCapabilities, meta?.[META_CLIENT_CAPABILITIES]).success) {
    return invalid(`Invalid params: _meta["${META_CLIENT_CAPABILITIES}"] is required in protocol ${header}.`);
  }

  const method = message.method;
  const methodHeader = headers.get("Mcp-Method");
  if (methodHeader === null) return mismatch("the Mcp-Method header is required.");
  if (methodHeader !== method)
    return mismatch(`Mcp-Method header "${methodHeader}" does not match body method ${quoted(method)}.`);
  // Mcp-Name mirrors what routes the request: the tool's name, or the task's id (Tasks extension).
  const named = NAMED_BY[method ?? ""];
  if (named) {
    const name = message.params?.[named];
    const nameHeader = headers.get("Mcp-Name");
    if (nameHeader === null) return mismatch(`the Mcp-Name header is required for ${method}.`);
    const decoded = decodeHeaderValue(nameHeader);
    if (decoded === undefined) return mismatch("the Mcp-Name header is not a valid value.");
    if (decoded !== name)
      return mismatch(`Mcp-Name header "${nameHeader}" does not match body ${named} ${quoted(String(name))}.`);
  }
  return undefined;
}

/** The methods whose Mcp-Name header must repeat a parameter, and which one. */
const NAMED_BY: Record<string, string> = {
  "tools/call": "name",
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

/** Reads a header value that may use the `=?base64?…?=` sentinel; undefined when malformed. */
export function decodeHeaderValue(value: string): string | undefined {
  const match = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/.exec(value);
  if (!match) return value.startsWith("=?base64?") ? undefined : value;
  try {
    const binary = atob(match[1] ?? "");
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not base64, or not UTF-8: malformed.
    return undefined;
  }
}

/** MCP's `_meta` of a request or notification, when it is an object. */
function metaOf(message: IncomingMessage | undefined): Record<string, unknown> | undefined {
  const meta = message?.kind === "request" || message?.kind === "notification" ? message.params?._meta : undefined;
  return typeof meta === "object" && meta !== null && !Array.isArray(meta)
    ? (meta as Record<string, unknown>)
    : undefined;
}
