// HTTP-level rules only /mcp follows: origin and host checks (DNS rebinding), MCP's content
// negotiation, CORS for /mcp, and JSON-RPC errors sent as plain HTTP answers.
import type { Config } from "../config.js";
import { isLoopbackHostname, mediaType, preflightResponse as preflight, servedOnLoopback, urlOf } from "../http.js";
import { sseEvent } from "./response-stream.js";
import { messageJson, failure, type JsonRpcErrorObject, type JsonRpcId } from "../mcp/jsonrpc.js";

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * A tools/call sent alone may be larger: its arguments may carry images and files as data URLs
 * (tools/chat-content.ts). 16 MiB is half of what Workers RPC carries to a Durable Object, which
 * a durable call's arguments travel over.
 */
export const MAX_TOOL_CALL_BODY_BYTES = 16 * 1024 * 1024;

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    // Not a host.
    return "";
  }
}

/** Why the request must be refused (403), or undefined when its Host and Origin are acceptable. */
export function rejectForeignOrigin(request: Request, config: Config): string | undefined {
  const origin = request.headers.get("Origin");
  const allowedByConfig = origin !== null && config.allowedOrigins.includes(origin);
  if (servedOnLoopback(request)) {
    const url = urlOf(request);
    const host = request.headers.get("Host") ?? url.host;
    const hostname = host === url.host ? url.hostname : hostnameOf(host);
    const hostAllowed = isLoopbackHostname(hostname) || config.allowedOrigins.some((o) => new URL(o).host === host);
    if (!hostAllowed) return `Host "${host}" is not a loopback name: refused to prevent DNS rebinding.`;
    if (origin !== null && !allowedByConfig && !isLoopbackOrigin(origin)) {
      return `Origin "${origin}" is not a loopback origin: refused to prevent DNS rebinding.`;
    }
    return undefined;
  }
  if (origin === null || allowedByConfig || origin === urlOf(request).origin) return undefined;
  return `Origin "${origin}" is not allowed. Add it to the ALLOWED_ORIGINS variable to let that site call this server.`;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHostname(url.hostname);
  } catch {
    // Not a URL.
    return false;
  }
}

export interface Acceptance {
  json: boolean;
  sse: boolean;
  /** text/event-stream named outright; a bare *\/* (curl) gets plain JSON. */
  sseNamed: boolean;
}

/** Which of our two response types the Accept header allows (a missing header allows both). */
export function readAccept(header: string | null): Acceptance {
  if (header === null || header.trim() === "") return { json: true, sse: true, sseNamed: false };
  const result: Acceptance = { json: false, sse: false, sseNamed: false };
  for (const part of header.split(",")) {
    const [, ...params] = part.split(";");
    const type = mediaType(part);
    const refused = params.some((p) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/i.test(p));
    if (refused) continue;
    if (type === "*/*" || type === "application/*" || type === "application/json") result.json = true;
    if (type === "*/*" || type === "text/*" || type === "text/event-stream") result.sse = true;
    if (type === "text/event-stream") result.sseNamed = true;
  }
  return result;
}

export function isJsonContentType(header: string | null): boolean {
  return mediaType(header) === "application/json";
}

const EXPOSED_HEADERS = "WWW-Authenticate, MCP-Protocol-Version, Retry-After";
const ALLOWED_REQUEST_HEADERS =
  "Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Session-Id, Last-Event-ID, Mcp-Method, Mcp-Name";

/** CORS headers for a request whose Origin passed rejectForeignOrigin. */
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("Origin");
  if (origin === null) return {};
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS, Vary: "Origin" };
}

export function preflightResponse(request: Request, methods: string): Response {
  return preflight(corsHeaders(request), methods, ALLOWED_REQUEST_HEADERS);
}

/** The one builder of /mcp's refusals: a JSON-RPC error carried by an HTTP status (the id is null when unknown). */
export function jsonRpcErrorResponse(
  status: number,
  error: JsonRpcErrorObject,
  headers: Record<string, string> = {},
  id: JsonRpcId | null = null,
): Response {
  return new Response(messageJson(failure(id, error)), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** /mcp's answers known at once, as one JSON body (its text, or its UTF-8 when that is at hand). */
export function jsonAnswer(
  body: string | Uint8Array<ArrayBuffer>,
  status: number,
  cors: Record<string, string>,
): Response {
  return new Response(body, { status, headers: jsonHeaders(cors) });
}

/** The same answers as one SSE event, for a client that takes only SSE. */
export function sseAnswer(json: string, status: number, cors: Record<string, string>): Response {
  return new Response(sseEvent(json), { status, headers: sseHeaders(cors) });
}

export function jsonHeaders(cors: Record<string, string>): Record<string, string> {
  return { "Content-Type": "application/json", ...cors };
}

export function sseHeaders(cors: Record<string, string>): Record<string, string> {
  return {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
    ...cors,
  };
}
