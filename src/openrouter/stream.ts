// Reads OpenRouter's streamed chat completion (SSE) and hands each piece of the answer, and of a
// thinking model's reasoning, to a callback.
//
// This is the hot path of the Worker: a long answer is thousands of frames. So the bytes are
// decoded by one TextDecoder, framed by eventsource-parser (sse.ts), and an ordinary frame is
// not JSON.parsed at all (fast-delta.ts). Only unusual frames (the first, finish, usage, error,
// reasoning given only as details, generated images, citations) take the full parse here: the
// fast path refuses any frame whose delta holds an object, so none of them costs a text frame.
import { systemClock, type Clock, type Timer } from "../clock.js";
import { fastDelta, type DeltaSink } from "./fast-delta.js";
import { MAX_EVENT_CHARS, sseDataFramer, utf8Decoder } from "./sse.js";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost?: number;
  /** Of completion_tokens, those spent thinking, when OpenRouter reports them. */
  reasoning_tokens?: number;
  /** Of prompt_tokens, those read from the provider's cache, and those written to it. */
  cached_tokens?: number;
  cache_write_tokens?: number;
  /** Web searches paid for (OpenRouter's server tool, or the provider's own search). */
  web_search_requests?: number;
  /** OpenRouter's cost_details: upstream_inference_cost and its prompt and completion parts. */
  cost_details?: Record<string, number>;
}

interface StreamError {
  code: number | string | undefined;
  message: string;
}

/** How the upstream stream ended. */
type StreamEnd =
  | "done" // saw data: [DONE]
  | "closed" // the body ended without [DONE]
  | "broken" // the connection failed mid-stream, or an event outgrew MAX_EVENT_CHARS
  | "idle" // nothing arrived for the idle timeout
  | "aborted"; // our side cancelled (client went away)

export interface StreamSummary {
  end: StreamEnd;
  /** The model that answered, as OpenRouter reports it (a fallback from `models`, perhaps). */
  model: string | undefined;
  /** The provider that served it, as OpenRouter reports it. */
  provider: string | undefined;
  finishReason: string | undefined;
  usage: Usage | undefined;
  /** A mid-stream error chunk (HTTP 200, finish_reason "error"). */
  error: StreamError | undefined;
  /** True once any byte arrived, to tell "never started" from "stalled". */
  receivedAnything: boolean;
}

export interface ReadOptions extends DeltaSink {
  /** A generated image: its URL as OpenRouter gives it (a data: URL). */
  onImage?: (url: string) => void;
  /** A piece of a spoken answer (delta.audio): base64 audio, its transcript, or both. */
  onAudio?: (data: string | undefined, transcript: string | undefined) => void;
  /** An SSE comment, such as ": OPENROUTER PROCESSING": the model works, but sends nothing yet. */
  onComment?: () => void;
  /** A source the answer cites (a url_citation annotation); OpenRouter may repeat one. */
  onCitation?: (url: string, title: string) => void;
  idleTimeoutMs: number;
  signal: AbortSignal;
  /** Times the silence; systemClock unless a test brings its own. */
  clock?: Clock;
}

export async function readChatStream(body: ReadableStream<Uint8Array>, options: ReadOptions): Promise<StreamSummary> {
  const { idleTimeoutMs, signal, clock = systemClock } = options;
  const summary: StreamSummary = {
    end: "closed",
    model: undefined,
    provider: undefined,
    finishReason: undefined,
    usage: undefined,
    error: undefined,
    receivedAnything: false,
  };
  let sawFirstFrame = false;
  let finished = false;
  let overflowed = false;

  const handleFull = (data: string): void => {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return; // Not JSON: skip the frame, never crash the relay.
    }
    if (typeof chunk !== "object" || chunk === null) return;
    const frame = chunk as Record<string, unknown>;
    if (typeof frame.model === "string") summary.model = frame.model;
    if (typeof frame.provider === "string") summary.provider = frame.provider;
    const error = frame.error;
    if (typeof error === "object" && error !== null) {
      const e = error as Record<string, unknown>;
      summary.error = {
        code: typeof e.code === "number" || typeof e.code === "string" ? e.code : undefined,
        message: typeof e.message === "string" ? e.message : "The provider reported an error",
      };
    }
    const usage = frame.usage;
    if (typeof usage === "object" && usage !== null) summary.usage = readUsage(usage as Record<string, unknown>);
    const choices = frame.choices;
    if (!Array.isArray(choices)) return;
    const choice: unknown = choices[0];
    if (typeof choice !== "object" || choice === null) return; // e.g. the usage chunk's empty choices
    const { delta, finish_reason } = choice as Record<string, unknown>;
    if (typeof finish_reason === "string") summary.finishReason = finish_reason;
    if (typeof delta === "object" && delta !== null) readDelta(delta as Record<string, unknown>, options);
  };

  const reader = body.getReader();
  const feed = sseDataFramer(
    (data) => {
      if (data === "[DONE]") {
        finished = true;
        summary.end = "done";
        return;
      }
      if (sawFirstFrame && fastDelta(data, options)) return;
      sawFirstFrame = true;
      handleFull(data);
    },
    () => {
      overflowed = true;
      console.warn(`chat stream: an SSE event outgrew ${MAX_EVENT_CHARS} characters, so the stream was ended`);
      // Already closed: nothing left to stop.
      void reader.cancel("event too large").catch(() => undefined);
    },
    options.onComment,
  );
  const decode = utf8Decoder();
  let lastActivity = clock.now();
  let idle = false;
  let watchdog: Timer | undefined;
  const armWatchdog = (delay: number): void => {
    watchdog = clock.setTimeout(() => {
      const quiet = clock.now() - lastActivity;
      if (quiet >= idleTimeoutMs) {
        idle = true;
        // Already closed: nothing left to stop.
        void reader.cancel("upstream idle").catch(() => undefined);
      } else {
        armWatchdog(idleTimeoutMs - quiet);
      }
    }, delay);
  };
  const onAbort = (): void => {
    // Already closed: nothing left to stop.
    void reader.cancel("client went away").catch(() => undefined);
  };
  signal.addEventListener("abort", onAbort);
  armWatchdog(idleTimeoutMs);

  // Why a stream that did not reach [DONE] stopped, checked in this order.
  const stopped = (otherwise: StreamEnd): StreamEnd =>
    signal.aborted ? "aborted" : idle ? "idle" : overflowed ? "broken" : otherwise;
  try {
    if (signal.aborted) onAbort();
    while (!finished && !overflowed) {
      const { done, value } = await reader.read();
      if (done) break;
      lastActivity = clock.now();
      summary.receivedAnything = true;
      feed(decode(value));
    }
    if (!finished) {
      feed(decode());
      summary.end = stopped("closed");
    }
  } catch {
    // The upstream broke off: the answer ends as broken, and says so.
    summary.end = stopped("broken");
  } finally {
    clock.clear(watchdog);
    signal.removeEventListener("abort", onAbort);
    // Already closed: nothing left to stop.
    if (finished || overflowed) void reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
  return summary;
}

/** A delta's content and reasoning, generated images, spoken audio and citations, from a fully parsed frame. */
function readDelta(delta: Record<string, unknown>, sink: ReadOptions): void {
  const { content, reasoning, reasoning_details: details, images, annotations, audio } = delta;
  if (typeof reasoning === "string") {
    if (reasoning !== "") sink.onReasoning(reasoning);
  } else if (Array.isArray(details)) {
    // Reasoning given only as details: text, a summary, or encrypted (thinking all the same).
    for (const detail of details) {
      if (typeof detail !== "object" || detail === null) continue;
      const { text, summary } = detail as Record<string, unknown>;
      sink.onReasoning(typeof text === "string" ? text : typeof summary === "string" ? summary : "");
    }
  }
  if (typeof content === "string" && content !== "") sink.onContent(content);
  // {data: <base64>, transcript: <text>}, either or both, a piece at a time.
  if (typeof audio === "object" && audio !== null) {
    const { data, transcript } = audio as Record<string, unknown>;
    const piece = typeof data === "string" && data !== "" ? data : undefined;
    const words = typeof transcript === "string" && transcript !== "" ? transcript : undefined;
    if (piece !== undefined || words !== undefined) sink.onAudio?.(piece, words);
  }
  // [{type: "image_url", image_url: {url}}] and [{type: "url_citation", url_citation: {url, title}}]
  if (Array.isArray(images)) {
    for (const image of images as Raw[]) {
      const url = (image?.image_url as Raw)?.url;
      if (typeof url === "string") sink.onImage?.(url);
    }
  }
  if (Array.isArray(annotations)) {
    for (const annotation of annotations as Raw[]) {
      const cited = annotation?.url_citation as Raw;
      if (annotation?.type === "url_citation" && typeof cited?.url === "string")
        sink.onCitation?.(cited.url, typeof cited.title === "string" ? cited.title : "");
    }
  }
}

type Raw = Record<string, unknown> | null | undefined;

function readUsage(raw: Record<string, unknown>): Usage {
  const finite = (value: unknown): number | undefined =>
    typeof value === "number" && Number.isFinite(value) ? value : undefined;
  const details = (raw.prompt_tokens_details ?? {}) as Record<string, unknown>;
  const costs = Object.entries((raw.cost_details ?? {}) as Record<string, unknown>).filter(
    (entry): entry is [string, number] => finite(entry[1]) !== undefined,
  );
  // A field OpenRouter did not report stays undefined, which the result's JSON leaves out.
  return {
    prompt_tokens: finite(raw.prompt_tokens) ?? 0,
    completion_tokens: finite(raw.completion_tokens) ?? 0,
    total_tokens: finite(raw.total_tokens) ?? 0,
    cost: finite(raw.cost),
    reasoning_tokens: finite((raw.completion_tokens_details as Raw)?.reasoning_tokens),
    cached_tokens: finite(details.cached_tokens),
    cache_write_tokens: finite(details.cache_write_tokens),
    web_search_requests: finite((raw.server_tool_use_details as Raw)?.web_search_requests),
    cost_details: costs.length ? Object.fromEntries(costs) : undefined,
  };
}
