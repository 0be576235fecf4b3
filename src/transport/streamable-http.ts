// The /mcp endpoint: MCP's Streamable HTTP transport, stateless (no sessions, no resumption).
// Checks the HTTP envelope, parses JSON-RPC, dispatches, and picks the response shape:
// a plain JSON answer, or a stream (SSE with progress, or JSON held open by whitespace).
// Over 250 lines on purpose: the order of its checks (envelope, key, budget, rate) is the
// endpoint's security, and reads as one sequence here.
import type { Clock } from "../clock.js";
import type { Config, WorkerContext } from "../config.js";
import { durableBindings } from "../durable/bindings.js";
import { DurableCalls } from "../durable/calls.js";
import { BigBodyClaim, originOf, readBody } from "../http.js";
import { cancelCalls, trackCalls } from "../mcp/cancellation.js";
import { answerBytesEstimate, MAX_ANSWER_BYTES } from "../mcp/answer-budget.js";
import { readView } from "../mcp/apps.js";
import type { DispatchContext, Dispatched, Notify } from "../mcp/answers.js";
import { dispatch } from "../mcp/dispatch.js";
import { checkModernRequest, detectEra, unsupportedVersion, type Rejection } from "../mcp/era.js";
import {
  messageJson,
  ErrorCode,
  failure,
  parseBody,
  type JsonRpcInvalid,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from "../mcp/jsonrpc.js";
import { requestCaller } from "../mcp/caller.js";
import { asksDurableCall, keyNeeds, VERIFIED_KEY } from "../mcp/key-needs.js";
import { isSupportedVersion, VERSION_WHEN_HEADER_ABSENT } from "../mcp/versions.js";
import { openRouterFor } from "../openrouter/client.js";
import { clientAddress, eventBudget, PERIOD_SECONDS, withinLimit } from "../rate-limits.js";
import {
  answerResponse,
  corsHeaders,
  isJsonContentType,
  jsonHeaders,
  jsonRpcErrorResponse,
  MAX_BODY_BYTES,
  MAX_TOOL_CALL_BODY_BYTES,
  preflightResponse,
  readAccept,
  rejectForeignOrigin,
  sseHeaders,
  type Acceptance,
} from "./http.js";
import { readBearer, refusal, refusalResponse, type Refusal } from "./bearer.js";
import { JSON_FILLER, ResponseStream, SSE_FILLER, sseEvent } from "./response-stream.js";

const ALLOWED_METHODS = "POST, OPTIONS";

/** `worker` brings the bindings (durable calls), waitUntil and the clock; `clock` lets a test give another. */
export async function handleMcpRequest(
  request: Request,
  config: Config,
  worker: WorkerContext,
  clock: Clock = worker.clock,
): Promise<Response> {
  // A big body holds the isolate's one place for one until its copies are gone: parsed, sent
  // upstream, and left behind once the answer streams (or is answered).
  const claim = new BigBodyClaim();
  try {
    return await handle(request, config, worker, clock, claim);
  } finally {
    claim.release();
  }
}

async function handle(
  request: Request,
  config: Config,
  worker: WorkerContext,
  clock: Clock,
  claim: BigBodyClaim,
): Promise<Response> {
  const origin = new URL(request.url).origin;
  const openRouter = openRouterFor(config, origin, undefined, clock);
  // The OpenRouter key behind the bearer token (a sealed token opened), or why it is refused.
  const bearer = await readBearer(request, config, clock);
  // A key new to this server is looked up at OpenRouter: an address may have RATE_LIMIT_LOGIN of
  // those a minute that OpenRouter does not accept (a person's key, once accepted, is remembered).
  const address = clientAddress(request);
  const budget =
    address === undefined ? undefined : eventBudget(worker.env, `lookup:${address}`, config.rateLimits.loginPerAddress);
  const lookups = budget && { allows: budget.allows, failed: budget.spend };
  const envelope = await checkEnvelope(request, config, claim, () =>
    refusal(bearer, VERIFIED_KEY, openRouter, clock, lookups),
  );
  if (envelope instanceof Response) return envelope;
  const { cors } = envelope;

  // Parsed once: everything below reads these typed messages, and the text goes now.
  const body = parseBody(envelope.text, envelope.versionHeader ?? VERSION_WHEN_HEADER_ABSENT);
  envelope.text = "";
  if (oversized(envelope.bytes, body))
    return jsonRpcErrorResponse(413, { code: ErrorCode.InvalidRequest, message: TOO_LARGE }, cors);
  if (!body.ok) return jsonRpcErrorResponse(400, body.error, cors);
  const { isBatch, messages } = body;
  const era = detectEra(envelope.versionHeader, isBatch ? undefined : messages[0]);
  if (era === "modern") {
    const rejection = checkModernRequest(messages[0]!, request.headers);
    if (rejection) return reject(rejection, cors);
  }

  const invalid = messages.filter((m): m is JsonRpcInvalid => m.kind === "invalid");
  const requests = messages.filter((m): m is JsonRpcRequest => m.kind === "request");
  if (!isBatch && invalid[0]) return jsonRpcErrorResponse(400, invalid[0].error, cors, invalid[0].id);
  const invalidAnswers = invalid.map((m) => failure(m.id, m.error));
  // Before any work: what this request asks must not take more than its share to answer.
  const estimate = messages.reduce((sum, m) => sum + answerBytesEstimate(m, config), 0);
  if (estimate > MAX_ANSWER_BYTES) {
    const message =
      `Invalid Request: answering this batch would take about ${Math.ceil(estimate / 1024)} KB, more than the ` +
      `${MAX_ANSWER_BYTES / 1024} KB one request may ask for. Send fewer messages per request.`;
    return jsonRpcErrorResponse(400, { code: ErrorCode.InvalidRequest, message }, cors);
  }
  const key = "key" in bearer ? bearer.key : undefined;
  cancelCalls(key, messages);
  if (requests.length === 0 && invalidAnswers.length === 0) {
    // Only notifications and client responses: accepted, nothing to say.
    return new Response(null, { status: 202, headers: cors });
  }

  // Before any request is worked on, or any tool's arguments read.
  const needs = keyNeeds(requests, era, config.auth.openDiscovery);
  const refused = await refusal(bearer, needs, openRouter, clock, lookups);
  if (refused) return refusalResponse(refused, isBatch ? null : (requests[0]?.id ?? null), origin, cors);

  // Tool calls and requests about durable calls count against the key's rate limits
  // (src/rate-limits.ts); tool calls log the key's fingerprint.
  const toolCalls = requests.filter((r) => r.method === "tools/call").length;
  const calls = key === undefined ? undefined : new DurableCalls(durableBindings(worker.env), key);
  const keyHash = calls && (toolCalls > 0 || requests.some(asksDurableCall)) ? await calls.owner() : undefined;
  const limited =
    keyHash !== undefined && address !== undefined
      ? await pastKeyLimit(worker.env, config, keyHash, requests)
      : undefined;
  if (limited) {
    return jsonRpcErrorResponse(
      429,
      { code: ErrorCode.RateLimited, message: limited },
      { ...cors, "Retry-After": String(PERIOD_SECONDS) },
      isBatch ? null : (requests[0]?.id ?? null),
    );
  }

  // One controller for everything this HTTP request started upstream.
  const upstream = new AbortController();
  request.signal?.addEventListener("abort", () => upstream.abort());
  const caller =
    toolCalls > 0 ? requestCaller(era, keyHash?.slice(0, 8), request.headers.get("User-Agent")) : undefined;
  const context: DispatchContext = {
    era,
    config,
    key,
    origin,
    signal: upstream.signal,
    clock,
    calls,
    waitUntil: (promise) => worker.waitUntil(promise),
    view: () => readView(worker.env),
    caller,
  };
  const dispatched = await Promise.all(requests.map((r) => dispatch(r, context)));

  const unauthorized = dispatched.find((d) => d.kind === "unauthorized");
  if (unauthorized) {
    upstream.abort();
    return refusalResponse(unauthorized.reason, isBatch ? null : unauthorized.id, origin, cors);
  }

  const outcome: Outcome = {
    isBatch,
    dispatched,
    invalidAnswers,
    accept: envelope.accept,
    cors,
    upstream,
    config,
    clock,
  };
  if (!dispatched.some((d) => d.kind === "stream")) return answerAtOnce(outcome);
  // Until the answers are sent, notifications/cancelled from the same caller can stop them.
  return answerAsStream(
    outcome,
    trackCalls(
      key,
      requests.map((r) => r.id),
      () => upstream.abort(),
      clock,
    ),
  );
}

/**
 * Why a key is past one of its limits, in words, or undefined to go on. Tool calls start paid
 * calls: RATE_LIMIT_TOOL_CALLS. Requests about durable calls (the tasks/ methods, and calls of a
 * tool that reads them, which start nothing) only look at them, and clients poll with them:
 * RATE_LIMIT_TASK_REQUESTS, a counter of their own, so polling never uses up what starts calls,
 * yet a flood is refused.
 */
async function pastKeyLimit(
  env: Env,
  config: Config,
  keyHash: string,
  requests: readonly JsonRpcRequest[],
): Promise<string | undefined> {
  const { toolCallsPerKey, taskRequestsPerKey } = config.rateLimits;
  const durableRequests = requests.filter(asksDurableCall).length;
  const paid = requests.filter((r) => r.method === "tools/call" && !asksDurableCall(r)).length;
  if (paid > 0 && !(await withinLimit(env, `key:${keyHash}`, toolCallsPerKey, paid)))
    return `Too many tool calls: ${toolCallsPerKey} a minute per key.`;
  if (durableRequests > 0 && !(await withinLimit(env, `tasks:${keyHash}`, taskRequestsPerKey, durableRequests))) {
    return `Too many requests about tasks and background completions: ${taskRequestsPerKey} a minute per key. Poll less often.`;
  }
  return undefined;
}

/** What the envelope checks learn about a request that passes them. */
interface Envelope {
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
async function checkEnvelope(
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

const TOO_LARGE = `Payload Too Large: at most ${MAX_BODY_BYTES} bytes (${MAX_TOOL_CALL_BODY_BYTES} for a lone tools/call).`;

/** Past MAX_BODY_BYTES, only a lone tools/call is let through (its images and files need the room). */
function oversized(bytes: number, body: ReturnType<typeof parseBody>): boolean {
  const only = body.ok && !body.isBatch && body.messages[0];
  return bytes > MAX_BODY_BYTES && !(only && only.kind === "request" && only.method === "tools/call");
}

function reject(rejection: Rejection, cors: Record<string, string>): Response {
  return jsonRpcErrorResponse(rejection.status, rejection.error, cors, rejection.id);
}

/** The dispatched requests of one HTTP request, and what answering them needs. */
interface Outcome {
  isBatch: boolean;
  /** One per request, in order. */
  dispatched: Dispatched[];
  /** Errors for invalid batch members, answered first. */
  invalidAnswers: JsonRpcResponse[];
  accept: Acceptance;
  cors: Record<string, string>;
  /** Aborted when the client hangs up: cancels what the requests started upstream. */
  upstream: AbortController;
  config: Config;
  clock: Clock;
}

/**
 * The one rule for the response's media type: SSE when the client accepts nothing else, or when
 * it names text/event-stream and there is something to stream (progress, then the result).
 * Otherwise JSON, which curl's bare *\/* gets too.
 */
function answersOverSse(accept: Acceptance, streaming: boolean): boolean {
  return !accept.json || (streaming && accept.sseNamed);
}

/** One body for every answer, each serialised here, once: an array for a batch, else the lone answer. */
function joinAnswers(answers: string[], isBatch: boolean): string {
  return isBatch ? `[${answers.join(",")}]` : (answers[0] ?? "");
}

/** Answers that are all known now: one JSON body, or one SSE event for clients that take only SSE. */
function answerAtOnce(outcome: Outcome): Response {
  const { isBatch, dispatched, cors } = outcome;
  const answers = [...outcome.invalidAnswers, ...dispatched.flatMap((d) => (d.kind === "answer" ? [d.answer] : []))];
  return answerResponse(
    joinAnswers(answers.map(messageJson), isBatch),
    statusOf(outcome),
    answersOverSse(outcome.accept, false),
    cors,
  );
}

/** A lone answer keeps the status dispatch chose; a batch is 200, or 400 when every member was invalid. */
function statusOf({ isBatch, dispatched }: Outcome): number {
  if (isBatch) return dispatched.length === 0 ? 400 : 200;
  const only = dispatched[0];
  return only?.kind === "answer" ? only.status : 200;
}

/**
 * Streams the answers: over SSE, progress notifications interleave with results; in JSON mode
 * the results are written together at the end, with whitespace keeping the connection alive.
 * Progress may be dropped for a client that reads slowly; results may not (response-stream.ts).
 */
function answerAsStream(outcome: Outcome, whenSent: () => void): Response {
  const { isBatch, dispatched, cors, upstream } = outcome;
  const sse = answersOverSse(outcome.accept, true);
  const out = new ResponseStream(
    outcome.config.keepaliveIntervalMs,
    sse ? SSE_FILLER : JSON_FILLER,
    () => upstream.abort(),
    outcome.clock,
  );
  const notify: Notify | undefined = sse ? (notification) => out.offer(sseEvent(messageJson(notification))) : undefined;
  const answers: string[] = [];
  const deliver = (answer: JsonRpcResponse): void => {
    const json = messageJson(answer);
    if (sse) out.write(sseEvent(json));
    else answers.push(json);
  };

  for (const answer of outcome.invalidAnswers) deliver(answer);
  const runs = dispatched.map(async (d) => {
    if (d.kind === "answer") return deliver(d.answer);
    // A relay never fails: dispatch answers its unexpected errors (mcp/dispatch.ts).
    if (d.kind === "stream") deliver(await d.relay(notify));
  });
  void Promise.all(runs).then(() => {
    if (!sse) out.write(joinAnswers(answers, isBatch));
    out.close();
    whenSent();
  });

  return new Response(out.body, { status: 200, headers: sse ? sseHeaders(cors) : jsonHeaders(cors) });
}
