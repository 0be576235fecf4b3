// How the answers to one /mcp request are sent: all at once as one JSON body (or one SSE event),
// or as a stream, SSE with progress notifications between the results, or JSON held open by
// whitespace until the results are whole. Every message is serialised here, once.
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Dispatched, Notify } from "../mcp/answers.js";
import { messageBody, messageJson, type JsonRpcResponse } from "../mcp/jsonrpc.js";
import { jsonAnswer, jsonHeaders, sseAnswer, sseHeaders, type Acceptance } from "./http.js";
import { JSON_FILLER, ResponseStream, SSE_FILLER, sseEvent } from "./response-stream.js";

/** The dispatched requests of one HTTP request, and what answering them needs. */
export interface Outcome {
  isBatch: boolean;
  /** One per request, in order. */
  dispatched: Dispatched[];
  /** Errors for invalid batch members, answered first. */
  invalidAnswers: JsonRpcResponse[];
  accept: Acceptance;
  cors: Record<string, string>;
  /** Stops what the requests started upstream (the client hung up, or the stream gave up on it). */
  stop: () => void;
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
export function answerAtOnce(outcome: Outcome): Response {
  const { isBatch, dispatched, cors } = outcome;
  const answers = [...outcome.invalidAnswers, ...dispatched.flatMap((d) => (d.kind === "answer" ? [d.answer] : []))];
  const status = statusOf(outcome);
  if (answersOverSse(outcome.accept, false))
    return sseAnswer(joinAnswers(answers.map(messageJson), isBatch), status, cors);
  // A lone answer is its body: a result serialised ahead is copied in, not encoded again.
  const lone = isBatch ? undefined : answers[0];
  return jsonAnswer(lone ? messageBody(lone) : joinAnswers(answers.map(messageJson), isBatch), status, cors);
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
export function answerAsStream(outcome: Outcome, whenSent: () => void): Response {
  const { isBatch, dispatched, cors, stop } = outcome;
  const sse = answersOverSse(outcome.accept, true);
  const out = new ResponseStream(
    outcome.config.keepaliveIntervalMs,
    sse ? SSE_FILLER : JSON_FILLER,
    stop,
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
