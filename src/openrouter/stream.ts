// Reads OpenRouter's streamed chat completion (SSE) and hands each piece of content to a callback.
//
// This is the hot path of the Worker: a long answer is thousands of frames. So the bytes are
// decoded by one TextDecoder, framed by eventsource-parser, and an ordinary frame is not
// JSON.parsed at all: its content string is sliced out. Only unusual frames (the first, finish,
// usage, error, escaped content) take the full parse.
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost?: number;
}

interface StreamError {
  code: number | string | undefined;
  message: string;
}

/** How the upstream stream ended. */
type StreamEnd =
  | "done" // saw data: [DONE]
  | "closed" // the body ended without [DONE]
  | "broken" // the connection failed mid-stream
  | "idle" // nothing arrived for the idle timeout
  | "aborted"; // our side cancelled (client went away)

export interface StreamSummary {
  end: StreamEnd;
  /** The model that answered, as OpenRouter reports it. */
  model: string | undefined;
  finishReason: string | undefined;
  usage: Usage | undefined;
  /** A mid-stream error chunk (HTTP 200, finish_reason "error"). */
  error: StreamError | undefined;
  /** True once any byte arrived, to tell "never started" from "stalled". */
  receivedAnything: boolean;
}

interface ReadOptions {
  onContent: (text: string) => void;
  idleTimeoutMs: number;
  signal: AbortSignal;
}

const DELTA = '"delta":{';
const CONTENT = '"content":"';

export async function readChatStream(body: ReadableStream<Uint8Array>, options: ReadOptions): Promise<StreamSummary> {
  const { onContent, idleTimeoutMs, signal } = options;
  const summary: StreamSummary = {
    end: "closed",
    model: undefined,
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
    if (typeof delta === "object" && delta !== null) {
      const content = (delta as Record<string, unknown>).content;
      if (typeof content === "string" && content !== "") onContent(content);
    }
  };

  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      const data = event.data;
      if (data === "[DONE]") {
        finished = true;
        summary.end = "done";
        return;
      }
      if (sawFirstFrame) {
        const content = fastContent(data);
        if (content !== undefined) {
          if (content !== "") onContent(content);
          return;
        }
      }
      sawFirstFrame = true;
      handleFull(data);
    },
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
      parser.feed(decode(value));
    }
    if (!finished) {
      parser.feed(decode());
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
 * The content of an ordinary frame without parsing the frame, or undefined when the frame
 * needs a full parse (finish, usage, error, no plain content).
 */
function fastContent(data: string): string | undefined {
  // The delta sits near the end of a frame: search backwards. `"delta":{` cannot occur inside a
  // JSON string, where its quotes would be escaped.
  const deltaAt = data.lastIndexOf(DELTA);
  if (deltaAt < 0) return undefined;
  const start = data.indexOf(CONTENT, deltaAt);
  if (start < 0) return undefined;
  const from = start + CONTENT.length;
  let end = from;
  for (;;) {
    end = data.indexOf('"', end);
    if (end < 0) return undefined;
    // A quote preceded by an odd run of backslashes is inside the string.
    let backslashes = 0;
    for (let i = end - 1; i >= from && data.charCodeAt(i) === 92; i--) backslashes++;
    if (backslashes % 2 === 0) break;
    end++;
  }
  // Frames that end the answer or carry usage or an error take the full parse. Only the short
  // tail after the content is searched (scanning whole frames costs as much as parsing them):
  // an ordinary frame has "finish_reason":null there, while OpenRouter's mid-stream error chunk
  // has finish_reason "error" and the usage chunk has no delta at all. Nor does an ordinary
  // tail open an object: a "usage", "error" or "logprobs" object after the content would, so
  // one search for "{" covers them all.
  const tail = data.indexOf('"finish_reason":', end);
  if (tail < 0 || data.charCodeAt(tail + 16) !== 110 /* n, as in null */) return undefined;
  if (data.indexOf("{", end) >= 0) return undefined;
  const raw = data.slice(from, end);
  if (raw.indexOf("\\") < 0) return raw;
  try {
    return JSON.parse(data.slice(from - 1, end + 1)) as string;
  } catch {
    return undefined;
  }
}

function readUsage(raw: Record<string, unknown>): Usage {
  const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
  const usage: Usage = {
    prompt_tokens: count(raw.prompt_tokens),
    completion_tokens: count(raw.completion_tokens),
    total_tokens: count(raw.total_tokens),
  };
  if (typeof raw.cost === "number" && Number.isFinite(raw.cost)) usage.cost = raw.cost;
  return usage;
}
