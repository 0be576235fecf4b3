// The byte layer of OpenRouter's stream: bytes to text, text to the data of its SSE events.
import { createParser } from "eventsource-parser";

/**
 * The most an unfinished SSE event may hold, in characters: a line that never ends, or data
 * lines without the blank line that ends their event, must not grow memory without limit. An
 * image model's answer arrives as data URLs inside one frame, a few MB each (a 1024² PNG is
 * about 2 MB of base64), so 8 MiB lets several through; past it the stream ends as broken.
 * Held in memory, such a frame costs about three times its size at its peak (the pieces, the
 * joined line, the parse), a fifth of a Worker's 128 MB.
 */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * Splits decoded SSE text into the data of its events, as the WHATWG rules say (eventsource-
 * parser: any line ending, other fields ignored, a byte order mark at the start dropped), and
 * tells `onComment` of each comment line (OpenRouter's ": OPENROUTER PROCESSING" while a model
 * works without streaming). Calls `onOverflow` once, and nothing after, when an event outgrows
 * MAX_EVENT_CHARS.
 */
export function sseDataFramer(
  onData: (data: string) => void,
  onOverflow: () => void,
  onComment?: () => void,
): (text: string) => void {
  let overflowed = false;
  const parser = createParser({
    onEvent: (event) => onData(event.data),
    ...(onComment ? { onComment } : {}),
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") overflowed = true;
    },
    maxBufferSize: MAX_EVENT_CHARS,
  });
  return (text) => {
    if (overflowed) return;
    parser.feed(text);
    if (overflowed) onOverflow();
  };
}

/**
 * Decodes a byte stream read by read. A streaming decode costs more than a whole one (a third
 * more in workerd, twice as much in Node), yet is needed only while a character may be split
 * across reads: when nothing is pending and a read ends on an ASCII byte, it is decoded whole.
 * A byte order mark is kept (the SSE parser drops one at the very start, as the spec says).
 */
export function utf8Decoder(): (bytes?: Uint8Array) => string {
  const streaming = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  const whole = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  let mayBePending = false;
  return (bytes) => {
    if (bytes === undefined) return mayBePending ? streaming.decode() : "";
    if (bytes.length === 0) return "";
    if (!mayBePending && bytes[bytes.length - 1]! < 0x80) return whole.decode(bytes);
    mayBePending = bytes[bytes.length - 1]! >= 0x80;
    return streaming.decode(bytes, { stream: true });
  };
}
