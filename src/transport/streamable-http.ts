// The /mcp endpoint: MCP's Streamable HTTP transport, stateless (no sessions, no resumption).
// Checks the HTTP envelope, parses JSON-RPC, dispatches, and picks the response shape:
// a plain JSON answer, or a stream (SSE with progress, or JSON held open by whitespace).
import { readBearerToken, refusalOnConnect, unauthorizedResponse } from "../auth/bearer.js";
import type { Config } from "../config.js";
import { methodNotAllowed, readTextWithin } from "../http.js";
import { dispatch, type Dispatched } from "../mcp/dispatch.js";
import { checkModernRequest, detectEra, unsupportedVersion, type Rejection } from "../mcp/era.js";
import { classifyMessage, ErrorCode, errorJson, type IncomingMessage, type JsonRpcRequest } from "../mcp/jsonrpc.js";
import { BATCH_PROTOCOL_VERSION, isSupportedVersion, VERSION_WHEN_HEADER_ABSENT } from "../mcp/versions.js";
import {
  corsHeaders,
  isJsonContentType,
  jsonRpcErrorResponse,
  MAX_BODY_BYTES,
  preflightResponse,
  readAccept,
  rejectForeignOrigin,
  type Acceptance,
} from "./http.js";
import { JSON_FILLER, ResponseStream, SSE_FILLER, sseEvent } from "./response-stream.js";

const ALLOWED_METHODS = "POST, OPTIONS";

export async function handleMcpRequest(request: Request, config: Config): Promise<Response> {
  const refusal = rejectForeignOrigin(request, config);
  if (refusal) return jsonRpcErrorResponse(403, { code: ErrorCode.InvalidRequest, message: `Forbidden: ${refusal}` });
  const cors = corsHeaders(request);

  if (request.method === "OPTIONS") return preflightResponse(request, ALLOWED_METHODS);
  // A stateless server: no SSE stream to GET, no session to DELETE.
  if (request.method !== "POST") return methodNotAllowed(ALLOWED_METHODS, cors);

  if (!isJsonContentType(request.headers.get("Content-Type"))) {
    return jsonRpcErrorResponse(
      415,
      { code: ErrorCode.InvalidRequest, message: "Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json." },
      cors,
    );
  }
  const accept = readAccept(request.headers.get("Accept"));
  if (!accept.json && !accept.sse) {
    return jsonRpcErrorResponse(
      406,
      { code: ErrorCode.InvalidRequest, message: "Not Acceptable: accept application/json and text/event-stream." },
      cors,
    );
  }
  const versionHeader = request.headers.get("MCP-Protocol-Version")?.trim() ?? null;
  // One answer for both eras: a modern client recognises -32022 and retries with a listed version.
  if (versionHeader !== null && !isSupportedVersion(versionHeader)) return reject(unsupportedVersion(versionHeader), cors);
  const protocolVersion = versionHeader ?? VERSION_WHEN_HEADER_ABSENT;

  const text = await readTextWithin(request, MAX_BODY_BYTES);
  if (text === undefined) {
    return jsonRpcErrorResponse(
      413,
      { code: ErrorCode.InvalidRequest, message: `Payload Too Large: the body must be at most ${MAX_BODY_BYTES} bytes.` },
      cors,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return jsonRpcErrorResponse(400, { code: ErrorCode.ParseError, message: "Parse error: the body is not valid JSON." }, cors);
  }

  const isBatch = Array.isArray(payload);
  if (isBatch) {
    if ((payload as unknown[]).length === 0) {
      return jsonRpcErrorResponse(400, { code: ErrorCode.InvalidRequest, message: "Invalid Request: empty batch." }, cors);
    }
    if (protocolVersion !== BATCH_PROTOCOL_VERSION) {
      return jsonRpcErrorResponse(
        400,
        {
          code: ErrorCode.InvalidRequest,
          message: `Invalid Request: JSON-RPC batches are only part of protocol version ${BATCH_PROTOCOL_VERSION}, not ${protocolVersion}. Send one message per request.`,
        },
        cors,
      );
    }
  }
  const era = isBatch ? "legacy" : detectEra(versionHeader, payload);
  if (era === "modern") {
    const rejection = checkModernRequest(payload, request.headers);
    if (rejection) return reject(rejection, cors);
  }
  const messages: IncomingMessage[] = isBatch ? (payload as unknown[]).map(classifyMessage) : [classifyMessage(payload)];

  const invalidAnswers = messages.flatMap((m) =>
    m.kind === "invalid" ? [errorJson(m.id, { code: ErrorCode.InvalidRequest, message: m.message })] : [],
  );
  const requests = messages.filter((m): m is JsonRpcRequest => m.kind === "request");
  if (!isBatch && invalidAnswers.length > 0) {
    return new Response(invalidAnswers[0], { status: 400, headers: { "Content-Type": "application/json", ...cors } });
  }
  if (requests.length === 0 && invalidAnswers.length === 0) {
    // Only notifications and client responses: accepted, nothing to say.
    return new Response(null, { status: 202, headers: cors });
  }

  const key = readBearerToken(request);
  const origin = new URL(request.url).origin;
  if (config.authOnConnect && requests.length > 0) {
    const keyRefusal = await refusalOnConnect(requests.map((r) => r.method), key, config.openRouterBaseUrl);
    if (keyRefusal) return unauthorizedResponse(keyRefusal, isBatch ? null : requests[0]!.id, origin, cors);
  }

  // One controller for everything this HTTP request started upstream.
  const upstream = new AbortController();
  request.signal?.addEventListener("abort", () => upstream.abort());
  const context = { era, config, key, origin, signal: upstream.signal };
  const dispatched = await Promise.all(requests.map((r) => dispatchSafely(r, context)));

  const unauthorized = dispatched.find((d) => d.kind === "unauthorized");
  if (unauthorized) {
    upstream.abort();
    return unauthorizedResponse(unauthorized.reason, isBatch ? null : unauthorized.id, context.origin, cors);
  }

  const streaming = dispatched.some((d) => d.kind === "stream");
  if (!streaming) {
    const answers = [...invalidAnswers, ...dispatched.map((d) => (d.kind === "response" ? d.json : ""))];
    const single = dispatched[0];
    const status = isBatch ? (requests.length === 0 ? 400 : 200) : single?.kind === "response" ? single.status : 200;
    return answerAtOnce(isBatch ? `[${answers.join(",")}]` : (answers[0] ?? ""), accept, cors, status);
  }
  return answerAsStream(requests, dispatched, invalidAnswers, isBatch, accept, config, upstream, cors);
}

function reject(rejection: Rejection, cors: Record<string, string>): Response {
  return jsonRpcErrorResponse(rejection.status, rejection.error, cors, rejection.id);
}

async function dispatchSafely(request: JsonRpcRequest, context: Parameters<typeof dispatch>[1]): Promise<Dispatched> {
  try {
    return await dispatch(request, context);
  } catch {
    return { kind: "response", json: internalError(request), status: 500 };
  }
}

function internalError(request: JsonRpcRequest): string {
  return errorJson(request.id, { code: ErrorCode.InternalError, message: "Internal error while handling the request." });
}

/** Answers that are all known now: one JSON body, or one SSE event for clients that take only SSE. */
function answerAtOnce(json: string, accept: Acceptance, cors: Record<string, string>, status: number): Response {
  if (accept.json) return new Response(json, { status, headers: { "Content-Type": "application/json", ...cors } });
  return new Response(sseEvent(json), { status, headers: sseHeaders(cors) });
}

function sseHeaders(cors: Record<string, string>): Record<string, string> {
  return { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no", ...cors };
}

/**
 * Streams the answers: over SSE, progress notifications interleave with results; in JSON mode
 * the results are written together at the end, with whitespace keeping the connection alive.
 */
function answerAsStream(
  requests: JsonRpcRequest[],
  dispatched: Dispatched[],
  invalidAnswers: string[],
  isBatch: boolean,
  accept: Acceptance,
  config: Config,
  upstream: AbortController,
  cors: Record<string, string>,
): Response {
  const sse = accept.sseNamed || !accept.json;
  const out = new ResponseStream(config.keepaliveIntervalMs, sse ? SSE_FILLER : JSON_FILLER, () => upstream.abort());
  const answers: string[] = [...invalidAnswers];
  const deliver = (json: string): void => {
    if (sse) out.write(sseEvent(json));
    else answers.push(json);
  };
  const notify = sse ? (json: string) => out.write(sseEvent(json)) : undefined;

  for (const answer of invalidAnswers) if (sse) out.write(sseEvent(answer));
  const runs = dispatched.map(async (d, i) => {
    if (d.kind === "response") return deliver(d.json);
    if (d.kind !== "stream") return;
    try {
      deliver(await d.relay({ notify }));
    } catch {
      deliver(internalError(requests[i]!));
    }
  });
  void Promise.all(runs).then(() => {
    if (!sse) out.write(isBatch ? `[${answers.join(",")}]` : (answers[0] ?? ""));
    out.close();
  });

  const headers = sse ? sseHeaders(cors) : { "Content-Type": "application/json", ...cors };
  return new Response(out.body, { status: 200, headers });
}
