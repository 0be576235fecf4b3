// The /mcp endpoint: MCP's Streamable HTTP transport, stateless (no sessions, no resumption).
// Checks the HTTP envelope (envelope.ts), parses JSON-RPC, checks the key, the answer budget and
// the rate limits, dispatches, and sends the answers (responses.ts). The order of its checks is
// the endpoint's security, and reads as one sequence here.
import type { Clock } from "../clock.js";
import type { Config, WorkerContext } from "../config.js";
import { durableBindings } from "../durable/bindings.js";
import { DurableCalls } from "../durable/calls.js";
import { BigBodyClaim, originOf } from "../http.js";
import { asksCancellation, cancelCalls, cancellerOf, trackCalls } from "../mcp/cancellation.js";
import { answerBytesEstimate, MAX_ANSWER_BYTES } from "../mcp/answer-budget.js";
import { readView } from "../mcp/apps.js";
import type { DispatchContext } from "../mcp/answers.js";
import { dispatch } from "../mcp/dispatch.js";
import { checkModernRequest, detectEra } from "../mcp/era.js";
import { ErrorCode, failure, parseBody, type JsonRpcInvalid, type JsonRpcRequest } from "../mcp/jsonrpc.js";
import { requestCaller } from "../mcp/caller.js";
import { asksDurableCall, keyNeeds, VERIFIED_KEY } from "../mcp/key-needs.js";
import { VERSION_WHEN_HEADER_ABSENT } from "../mcp/versions.js";
import { openRouterFor } from "../openrouter/client.js";
import { clientAddress, eventBudget, PERIOD_SECONDS, withinLimit } from "../rate-limits.js";
import { readBearer, refusal, refusalResponse } from "./bearer.js";
import { checkEnvelope, oversized, reject, TOO_LARGE } from "./envelope.js";
import { jsonRpcErrorResponse } from "./http.js";
import { answerAsStream, answerAtOnce, type Outcome } from "./responses.js";

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
  const origin = originOf(request);
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
  const key = bearer.ok ? bearer.key : undefined;
  const calls = key === undefined ? undefined : new DurableCalls(durableBindings(worker.env), key);
  if (calls && asksCancellation(messages)) cancelCalls(cancellerOf(await calls.owner(), address, request), messages);
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

  // One controller for everything this HTTP request started upstream: a client that hangs up
  // stops it. Only a request that may call upstream or follow a durable call has one and listens
  // for that; the others start nothing to stop.
  const upstream = requests.some(mayRunLong) ? new AbortController() : undefined;
  if (upstream) request.signal?.addEventListener("abort", () => upstream.abort());
  const stop = () => upstream?.abort();
  const caller =
    toolCalls > 0 ? requestCaller(era, keyHash?.slice(0, 8), request.headers.get("User-Agent")) : undefined;
  const context: DispatchContext = {
    era,
    protocolVersion: envelope.versionHeader ?? VERSION_WHEN_HEADER_ABSENT,
    config,
    key,
    origin,
    signal: upstream?.signal ?? NOTHING_TO_STOP,
    clock,
    calls,
    waitUntil: (promise) => worker.waitUntil(promise),
    view: () => readView(worker.env),
    caller,
  };
  const dispatched = await Promise.all(requests.map((r) => dispatch(r, context)));

  const unauthorized = dispatched.find((d) => d.kind === "unauthorized");
  if (unauthorized) {
    stop();
    return refusalResponse(unauthorized.reason, isBatch ? null : unauthorized.id, origin, cors);
  }

  const outcome: Outcome = {
    isBatch,
    dispatched,
    invalidAnswers,
    accept: envelope.accept,
    cors,
    stop,
    config,
    clock,
  };
  if (!dispatched.some((d) => d.kind === "stream")) return answerAtOnce(outcome);
  // Until the answers are sent, notifications/cancelled from the same caller can stop them.
  return answerAsStream(
    outcome,
    trackCalls(
      keyHash === undefined ? undefined : cancellerOf(keyHash, address, request),
      requests.map((r) => r.id),
      stop,
      clock,
    ),
  );
}

/** The signal of requests that start nothing: never aborted, so nothing may listen to it. */
const NOTHING_TO_STOP = new AbortController().signal;

/** Whether a request may call OpenRouter or wait on a durable call: what a hang-up has to stop. */
function mayRunLong(request: JsonRpcRequest): boolean {
  return request.method === "tools/call" || request.method.startsWith("tasks/");
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
