// Reads OpenRouter's streamed chat completion (SSE) and hands each piece of the answer, and of a
// thinking model's reasoning, to a callback.
//
// This is the hot path of the Worker: a long answer is thousands of frames. So the bytes are
// decoded by one TextDecoder, framed by sseDataFramer, and an ordinary frame is not
// JSON.parsed at all: its content (and reasoning) string is sliced out. Only unusual frames (the
// first, finish, usage, error, reasoning given only as details) take the full parse.

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost?: number;
  /** Of completion_tokens, those spent thinking, when OpenRouter reports them. */
  reasoning_tokens?: number;
}

export interface StreamError {
  code: number | string | undefined;
  message: string;
}

/** How the upstream stream ended. */
export type StreamEnd =
  | "done" // saw data: [DONE]
  | "closed" // the body ended without [DONE]
  | "broken" // the connection failed mid-stream
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

export interface DeltaSink {
  onContent: (text: string) => void;
  /** A piece of reasoning; "" for a piece whose text is withheld (encrypted). */
  onReasoning: (text: string) => void;
}

export interface ReadOptions extends DeltaSink {
  idleTimeoutMs: number;
  signal: AbortSignal;
}

const DELTA = '"delta":{';
const ROLE = '"role":"assistant",';
const CONTENT = '"content":"';
const REASONING = ',"reasoning":"';
const DETAILS = ',"reasoning_details":[';
const DELTA_END = '},"finish_reason":';

export async function readChatStream(body: ReadableStream<Uint8Array>, options: ReadOptions): Promise<StreamSummary> {
  const { idleTimeoutMs, signal } = options;
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

  const feed = sseDataFramer((data) => {
    if (data === "[DONE]") {
      finished = true;
      summary.end = "done";
      return;
    }
    if (sawFirstFrame && fastDelta(data, options)) return;
    sawFirstFrame = true;
    handleFull(data);
  });

  const reader = body.getReader();
  const decode = utf8Decoder();
  let lastActivity = Date.now();
  let idle = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const armWatchdog = (delay: number): void => {
    watchdog = setTimeout(() => {
      const quiet = Date.now() - lastActivity;
      if (quiet >= idleTimeoutMs) {
        idle = true;
        void reader.cancel("upstream idle").catch(() => {});
      } else {
        armWatchdog(idleTimeoutMs - quiet);
      }
    }, delay);
  };
  const onAbort = (): void => {
    void reader.cancel("client went away").catch(() => {});
  };
  signal.addEventListener("abort", onAbort);
  armWatchdog(idleTimeoutMs);

  try {
    if (signal.aborted) onAbort();
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) break;
      lastActivity = Date.now();
      summary.receivedAnything = true;
      feed(decode(value));
    }
    if (!finished) {
      feed(decode());
      summary.end = signal.aborted ? "aborted" : idle ? "idle" : "closed";
    }
  } catch {
    summary.end = signal.aborted ? "aborted" : idle ? "idle" : "broken";
  } finally {
    if (watchdog !== undefined) clearTimeout(watchdog);
    signal.removeEventListener("abort", onAbort);
    if (finished) void reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  return summary;
}

/**
 * Splits an SSE byte stream, decoded, into the data of its events, as the WHATWG rules say:
 * lines end with LF, CRLF or CR; a blank line ends an event; `data:` lines (one leading space
 * dropped) join with LF; comments and the other fields (event, id, retry) are ignored, as an
 * event without data is. Written here rather than taken from a library: 3 KB less in the bundle
 * and no slower (a test holds it to eventsource-parser on any input, in any pieces).
 */
export function sseDataFramer(onData: (data: string) => void): (text: string) => void {
  let pending = "";
  let data = "";
  let dataLines = 0;
  return (text) => {
    let buffer = pending === "" ? text : pending + text;
    if (buffer.indexOf("\r") >= 0) {
      // A CR at the very end may be the first half of a CRLF: it waits for the next piece.
      const waiting = buffer.charCodeAt(buffer.length - 1) === 13;
      buffer = (waiting ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, "\n") + (waiting ? "\r" : "");
    }
    let start = 0;
    for (let end = buffer.indexOf("\n"); end >= 0; start = end + 1, end = buffer.indexOf("\n", start)) {
      if (end === start) {
        if (dataLines > 0) onData(data);
        data = "";
        dataLines = 0;
      } else if (buffer.startsWith("data:", start)) {
        const value = buffer.slice(buffer.charCodeAt(start + 5) === 32 ? start + 6 : start + 5, end);
        data = dataLines++ === 0 ? value : `${data}\n${value}`;
      } else if (end - start === 4 && buffer.startsWith("data", start)) {
        data = dataLines++ === 0 ? "" : `${data}\n`; // "data" alone: an empty line of data
      }
    }
    pending = buffer.slice(start);
  };
}

/**
 * Decodes a byte stream read by read. A streaming decode costs more than a whole one (a third
 * more in workerd, twice as much in Node), yet is needed only while a character may be split
 * across reads: when nothing is pending and a read ends on an ASCII byte, it is decoded whole.
 * Both decoders keep U+FEFF (it is content past the start); a byte order mark at the very start
 * of the stream is dropped here, as one TextDecoder would.
 */
export function utf8Decoder(): (bytes?: Uint8Array) => string {
  const streaming = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  const whole = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  let mayBePending = false;
  let atStart = true;
  return (bytes) => {
    let text: string;
    if (bytes === undefined) text = mayBePending ? streaming.decode() : "";
    else if (bytes.length === 0) text = "";
    else {
      const last = bytes[bytes.length - 1]!;
      if (!mayBePending && last < 0x80) text = whole.decode(bytes);
      else {
        mayBePending = last >= 0x80;
        text = streaming.decode(bytes, { stream: true });
      }
    }
    if (atStart && text !== "") {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
    }
    return text;
  };
}

/**
 * Hands an ordinary frame's content, and its reasoning when a thinking model sends one, to the
 * sink without parsing the frame. False when the frame needs a full parse instead (finish,
 * usage, error, reasoning only as details, an unusual key order): nothing was handed on then.
 */
export function fastDelta(data: string, sink: DeltaSink): boolean {
  // The delta sits near the end of a frame: search backwards. `"delta":{` cannot occur inside a
  // JSON string, where its second quote would be escaped; nor can any `"key":` searched below.
  const deltaAt = data.lastIndexOf(DELTA);
  if (deltaAt < 0) return false;
  const start = data.indexOf(CONTENT, deltaAt);
  if (start < 0) return false;
  // Content first (after the role, perhaps): a reasoning key before it would go unseen. Checked
  // by length and one letter ("ro" of role, where "reasoning" or "refusal" has "re"): startsWith
  // costs a tenth of the fast path.
  const lead = start - deltaAt - DELTA.length;
  if (lead !== 0 && (lead !== ROLE.length || data.charCodeAt(deltaAt + DELTA.length + 2) !== 111)) return false;
  const from = start + CONTENT.length;
  const end = stringEnd(data, from);
  if (end < 0) return false;
  // A thinking model's frame goes on with the reasoning text, then the same text again as
  // reasoning_details objects: those are skipped whole, up to where the delta closes.
  let after = end + 1;
  let reasoningFrom = -1;
  let reasoningEnd = -1;
  // `,"r` first: most frames end the delta right after the content.
  if (data.charCodeAt(after + 2) === 114 && data.startsWith(REASONING, after)) {
    reasoningFrom = after + REASONING.length;
    reasoningEnd = stringEnd(data, reasoningFrom);
    if (reasoningEnd < 0) return false;
    after = reasoningEnd + 1;
    if (data.startsWith(DETAILS, after)) {
      after = data.indexOf(DELTA_END, after);
      if (after < 0) return false;
    }
  }
  // Frames that end the answer or carry usage or an error take the full parse. Only the short
  // tail after the delta's strings is searched (scanning whole frames costs as much as parsing
  // them): an ordinary frame has "finish_reason":null there, while OpenRouter's mid-stream
  // error chunk has finish_reason "error" and the usage chunk has no delta at all. Nor does an
  // ordinary tail open an object: a "usage", "error" or "logprobs" object, or reasoning details
  // without a reasoning string, would, so one search for "{" covers them all.
  const tail = data.indexOf('"finish_reason":', after);
  if (tail < 0 || data.charCodeAt(tail + 16) !== 110 /* n, as in null */) return false;
  if (data.indexOf("{", after) >= 0) return false;
  const content = jsonString(data, from, end);
  if (content === undefined) return false;
  if (reasoningFrom >= 0) {
    const reasoning = jsonString(data, reasoningFrom, reasoningEnd);
    if (reasoning === undefined) return false;
    if (reasoning !== "") sink.onReasoning(reasoning);
  }
  if (content !== "") sink.onContent(content);
  return true;
}

/** Where the JSON string whose text starts at `from` ends (its closing quote), or -1. */
function stringEnd(data: string, from: number): number {
  let end = from;
  for (;;) {
    end = data.indexOf('"', end);
    if (end < 0) return -1;
    // A quote preceded by an odd run of backslashes is inside the string.
    let backslashes = 0;
    for (let i = end - 1; i >= from && data.charCodeAt(i) === 92; i--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end++;
  }
}

/** The JSON string between from and end (its quotes excluded), unescaped. */
function jsonString(data: string, from: number, end: number): string | undefined {
  const raw = data.slice(from, end);
  if (raw.indexOf("\\") < 0) return raw;
  try {
    return JSON.parse(data.slice(from - 1, end + 1)) as string;
  } catch {
    return undefined;
  }
}

/** A delta's content and reasoning, from a fully parsed frame. */
function readDelta(delta: Record<string, unknown>, sink: DeltaSink): void {
  const { content, reasoning, reasoning_details: details } = delta;
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
}

function readUsage(raw: Record<string, unknown>): Usage {
  const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
  const usage: Usage = {
    prompt_tokens: count(raw.prompt_tokens),
    completion_tokens: count(raw.completion_tokens),
    total_tokens: count(raw.total_tokens),
  };
  if (typeof raw.cost === "number" && Number.isFinite(raw.cost)) usage.cost = raw.cost;
  const details = raw.completion_tokens_details as Record<string, unknown> | null | undefined;
  if (typeof details?.reasoning_tokens === "number" && Number.isFinite(details.reasoning_tokens)) {
    usage.reasoning_tokens = details.reasoning_tokens;
  }
  return usage;
}
