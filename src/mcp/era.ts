// Dual-era serving: which protocol era a request speaks, and the checks the modern era
// (2026-07-28) makes on every request, where nothing is negotiated in advance.
import type { JsonRpcErrorObject, JsonRpcId } from "./jsonrpc.js";
import { ErrorCode } from "./jsonrpc.js";
import { isModernVersion, isSupportedVersion, SUPPORTED_PROTOCOL_VERSIONS, type Era } from "./versions.js";

const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
export const META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";

/** Error codes the modern revision defines. */
export const ModernErrorCode = {
  HeaderMismatch: -32020,
  UnsupportedProtocolVersion: -32022,
} as const;

export interface Rejection {
  status: number;
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

/**
 * `initialize` and legacy versions keep legacy behaviour. A modern version in the header, or
 * (without a header) a modern version in `_meta`, selects the modern rules.
 */
export function detectEra(versionHeader: string | null, message: unknown): Era {
  const record = asRecord(message);
  if (record?.method === "initialize") return "legacy";
  if (versionHeader !== null) return isModernVersion(versionHeader) ? "modern" : "legacy";
  return metaOf(record)?.[META_PROTOCOL_VERSION] !== undefined ? "modern" : "legacy";
}

export function unsupportedVersion(requested: string, id: JsonRpcId | null = null): Rejection {
  return {
    status: 400,
    id,
    error: {
      code: ModernErrorCode.UnsupportedProtocolVersion,
      message: `Unsupported protocol version "${requested}". Supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}.`,
      data: { supported: SUPPORTED_PROTOCOL_VERSIONS, requested },
    },
  };
}

/** Checks a modern request's `_meta` and its mirrored headers; undefined when all is well. */
export function checkModernRequest(message: unknown, headers: Headers): Rejection | undefined {
  const record = asRecord(message);
  if (!record) return undefined; // not an object: the JSON-RPC layer answers it
  const id = typeof record.id === "string" || typeof record.id === "number" ? record.id : null;
  const isRequest = "id" in record;
  const mismatch = (message: string): Rejection => ({ status: 400, id, error: { code: ModernErrorCode.HeaderMismatch, message: `Header mismatch: ${message}` } });
  const invalid = (message: string): Rejection => ({ status: 400, id, error: { code: ErrorCode.InvalidParams, message } });

  if ("result" in record || "error" in record) {
    return { status: 400, id, error: { code: ErrorCode.InvalidRequest, message: "Invalid Request: clients do not send responses in protocol 2026-07-28." } };
  }
  const header = headers.get("MCP-Protocol-Version");
  if (header === null) return mismatch("the MCP-Protocol-Version header is required.");
  const meta = metaOf(record);
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
  if (isRequest && typeof meta?.[META_CLIENT_CAPABILITIES] !== "object") {
    return invalid(`Invalid params: _meta["${META_CLIENT_CAPABILITIES}"] is required in protocol ${header}.`);
  }

  const method = typeof record.method === "string" ? record.method : undefined;
  const methodHeader = headers.get("Mcp-Method");
  if (methodHeader === null) return mismatch("the Mcp-Method header is required.");
  if (methodHeader !== method) return mismatch(`Mcp-Method header "${methodHeader}" does not match body method "${method}".`);
  if (method === "tools/call") {
    const name = asRecord(record.params)?.name;
    const nameHeader = headers.get("Mcp-Name");
    if (nameHeader === null) return mismatch("the Mcp-Name header is required for tools/call.");
    const decoded = decodeHeaderValue(nameHeader);
    if (decoded === undefined) return mismatch("the Mcp-Name header is not a valid value.");
    if (decoded !== name) return mismatch(`Mcp-Name header "${nameHeader}" does not match body name "${String(name)}".`);
  }
  return undefined;
}

/** Reads a header value that may use the `=?base64?…?=` sentinel; undefined when malformed. */
export function decodeHeaderValue(value: string): string | undefined {
  const match = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/.exec(value);
  if (!match) return value.startsWith("=?base64?") ? undefined : value;
  try {
    const binary = atob(match[1] ?? "");
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function metaOf(record: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return asRecord(asRecord(record?.params)?._meta);
}
