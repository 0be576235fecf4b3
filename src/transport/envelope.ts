// The HTTP envelope of a request to /mcp, checked before its body is parsed, in this order:
// origin and host, method (and CORS preflight), content type, Accept, protocol version, and the
// body's size, read within its limit. The order is part of the endpoint's security: nothing past
// a failed check is read.
import type { Config } from "../config.js";
import { BigBodyClaim, originOf, readBody } from "../http.js";
import { unsupportedVersion, type Rejection } from "../mcp/era.js";
import { ErrorCode, type ParsedBody } from "../mcp/jsonrpc.js";
import { isSupportedVersion } from "../mcp/versions.js";
import { refusalResponse, type Refusal } from "./bearer.js";
import {
  corsHeaders,
  isJsonContentType,
  jsonRpcErrorResponse,
  MAX_BODY_BYTES,
  MAX_TOOL_CALL_BODY_BYTES,
  preflightResponse,
  readAccept,
  rejectForeignOrigin,
  type Acceptance,
} from "./http.js";

const ALLOWED_METHODS = "POST, OPTIONS";

/** What the envelope checks learn about a request that passes them. */
export interface Envelope {
  cors: Record<string, string>;
  accept: Acceptance;
  /** The MCP-Protocol-Version header, trimmed; null when absent. */
  versionHeader: string | null;
  /** The body, within MAX_TOOL_CALL_BODY_BYTES (MAX_BODY_BYTES unless it is a lone tools/call: see oversized). */
  text: string;
  /** Its size in bytes, as it came. */
  bytes: number;
}

/**
 * The HTTP envelope, checked in this order: origin and host, method (and CORS preflight),
 * content type, Accept, protocol version, body size. A Response when the request stops here.
 * `stranger` says why the caller's key is not one OpenRouter accepts, if it is not.
 */
export async function checkEnvelope(
  request: Request,
  config: Config,
  claim: BigBodyClaim,
  stranger: () => Promise<Refusal | undefined>,
): Promise<Envelope | Response> {
  const refusal = rejectForeignOrigin(request, config);
  if (refusal) return jsonRpcErrorResponse(403, { code: ErrorCode.InvalidRequest, message: `Forbidden: ${refusal}` });
  const cors = corsHeaders(request);
  const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
    jsonRpcErrorResponse(status, { code: ErrorCode.InvalidRequest, message }, { ...cors, ...headers });

  if (request.method === "OPTIONS") return preflightResponse(request, ALLOWED_METHODS);
  if (request.method !== "POST") {
    const message = `Method Not Allowed: send JSON-RPC messages with POST. This server is stateless: it has no stream to GET and no session to DELETE.`;
    return refuse(405, message, { Allow: ALLOWED_METHODS });
  }
  if (!isJsonContentType(request.headers.get("Content-Type"))) {
    return refuse(415, "Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json.");
  }
  const accept = readAccept(request.headers.get("Accept"));
  if (!accept.json && !accept.sse) return refuse(406, "Not Acceptable: accept application/json and text/event-stream.");

  const versionHeader = request.headers.get("MCP-Protocol-Version")?.trim() ?? null;
  // One answer for both eras: a modern client recognises -32022 and retries with a listed version.
  if (versionHeader !== null && !isSupportedVersion(versionHeader))
    return reject(unsupportedVersion(versionHeader), cors);

  // Past MAX_BODY_BYTES only with a key OpenRouter has vouched for: a stranger's megabytes (up to
  // 16 MiB held, then parsed) are never kept, and answered with the 401 that asks for a key (or
  // a 503 while OpenRouter cannot say).
  // And one such body at a time per isolate: the next is answered 503 until the first is done.
  const refused = !(Number(request.headers.get("Content-Length") ?? NaN) <= MAX_BODY_BYTES) && (await stranger());
  const read = refused
    ? await readBody(request, MAX_BODY_BYTES)
    : await readBody(request, MAX_TOOL_CALL_BODY_BYTES, { from: MAX_BODY_BYTES, claim });
  if (read.ok) return { cors, accept, versionHeader, text: read.text, bytes: read.bytes };
  if (refused) return refusalResponse(refused, null, originOf(request), cors);
  if (read.why === "busy") {
    const message = `Another request's body of over ${MAX_BODY_BYTES} bytes is being read here: one at a time. Try again in ${BUSY_RETRY_SECONDS} seconds.`;
    return jsonRpcErrorResponse(
      503,
      { code: ErrorCode.Unavailable, message },
      { ...cors, "Retry-After": String(BUSY_RETRY_SECONDS) },
    );
  }
  return refuse(413, TOO_LARGE);
}

/** How long a big body waits while another is read: one is read, parsed and sent on in about a second. */
const BUSY_RETRY_SECONDS = 2;

export const TOO_LARGE = `Payload Too Large: at most ${MAX_BODY_BYTES} bytes (${MAX_TOOL_CALL_BODY_BYTES} for a lone tools/call).`;

/** Past MAX_BODY_BYTES, only a lone tools/call is let through (its images and files need the room). */
export function oversized(bytes: number, body: ParsedBody): boolean {
  const only = body.ok && !body.isBatch && body.messages[0];
  return bytes > MAX_BODY_BYTES && !(only && only.kind === "request" && only.method === "tools/call");
}

export function reject(rejection: Rejection, cors: Record<string, string>): Response {
  return jsonRpcErrorResponse(rejection.status, rejection.error, cors, rejection.id);
}
