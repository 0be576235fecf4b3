// How a durable call's events cross from its Durable Object to the Worker: Workers RPC carries
// byte streams, so the object writes one JSON object per line (eventStream) and the Worker reads
// them back as they come (readEvents).
import type { CallEvent } from "./task.js";

/**
 * The events `subscribe` delivers, as a stream of JSON lines that closes after the end event.
 * `subscribe` returns what unsubscribes: called when the reader cancels (it stopped following).
 */
export function eventStream(
  subscribe: (listener: (event: CallEvent) => void) => () => void,
): ReadableStream<Uint8Array> {
  let unsubscribe: (() => void) | undefined;
  const lines = new ReadableStream<string>({
    start: (controller) => {
      unsubscribe = subscribe((event) => {
        controller.enqueue(`${JSON.stringify(event)}\n`);
        if (event.kind === "end") controller.close();
      });
    },
    cancel: () => unsubscribe?.(),
  });
  return lines.pipeThrough(new TextEncoderStream());
}

/**
 * The events of an eventStream, until it ends, breaks off (its object went away) or `signal`
 * aborts; leaving the loop early stops the stream, and the object forgets this follower.
 */
export async function* readEvents(stream: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<CallEvent> {
  const reader = stream.pipeThrough(textLines()).getReader();
  const stop = (): void => {
    // Cancelling a stream that has ended already has nothing left to stop.
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener("abort", stop);
  try {
    while (!signal.aborted) {
      // A read that fails is a stream broken off: its object went away (a restart), as its end says.
      const line = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (line.done) return;
      yield JSON.parse(line.value) as CallEvent;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}

/**
 * UTF-8 in, its complete lines out (decoded as they come: a character split between two reads is
 * whole on the next); a last line without its newline was cut off, and is dropped.
 */
function textLines(): TransformStream<Uint8Array, string> {
  const decoder = new TextDecoder();
  let partial = "";
  return new TransformStream({
    transform(bytes, controller) {
      const lines = (partial + decoder.decode(bytes, { stream: true })).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line !== "") controller.enqueue(line);
    },
  });
}
