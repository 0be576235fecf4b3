// readChatStream fed byte streams directly, as the stream's unit tests read them: the parts in
// order, then an end, a connection reset or a hang; on a FakeClock unless a test brings its own.
import { readChatStream } from "../../src/openrouter/stream.js";
import { FakeClock } from "./fake-clock.js";

const encoder = new TextEncoder();
/** The idle timeout the tests read with: time passes only when a test advances the clock. */
export const IDLE_MS = 60_000;

interface StreamShape {
  thenError?: boolean;
  thenHang?: boolean;
}

/** A byte stream of these parts, then its end, a connection reset or a hang. */
export function streamOf(parts: (string | Uint8Array)[], options: StreamShape = {}): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) {
        const part = parts[i++]!;
        controller.enqueue(typeof part === "string" ? encoder.encode(part) : part);
      } else if (options.thenError) controller.error(new Error("connection reset"));
      else if (options.thenHang) return new Promise(() => {});
      else controller.close();
    },
  });
}

/** Starts reading; the result comes once the stream ends (advance `clock` for a hanging one). */
export function startReading(
  parts: (string | Uint8Array)[],
  options: StreamShape & { signal?: AbortSignal; clock?: FakeClock } = {},
) {
  const pieces: string[] = [];
  const reasoning: string[] = [];
  const summary = readChatStream(streamOf(parts, options), {
    onContent: (text) => pieces.push(text),
    onReasoning: (text) => reasoning.push(text),
    idleTimeoutMs: IDLE_MS,
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? new FakeClock(),
  });
  return summary.then((s) => ({ pieces, reasoning, text: pieces.join(""), summary: s }));
}

export const read = (parts: (string | Uint8Array)[], options: StreamShape = {}) => startReading(parts, options);

/** The text in parts of `size` characters. */
export function splitEvery(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}
