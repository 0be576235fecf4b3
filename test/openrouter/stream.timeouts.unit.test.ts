// Unit tests of src/openrouter/stream.ts: readChatStream's idle timeout on a FakeClock (no real
// waiting), its abort, and its bound on an event that never ends.
import { describe, expect, it } from "vitest";
import { MAX_EVENT_CHARS } from "../../src/openrouter/sse.js";
import { readChatStream } from "../../src/openrouter/stream.js";
import { IDLE_MS, read, splitEvery, startReading } from "../support/chat-stream-reads.js";
import { FakeClock, flushMicrotasks } from "../support/fake-clock.js";
import { chunk, deltaFrame, done, finish } from "../support/openrouter-frames.js";

const encoder = new TextEncoder();

describe("readChatStream, in time and size", () => {
  // With fake time these never wait; the short timeout makes a regression fail at once.
  it("ends a stalled stream after the idle timeout, not before", { timeout: 2_000 }, async () => {
    const clock = new FakeClock();
    let ended = false;
    const reading = startReading([chunk("a")], { thenHang: true, clock }).finally(() => void (ended = true));
    await flushMicrotasks(); // "a" arrives at once; the silence starts there
    await clock.advance(IDLE_MS - 1);
    expect(ended).toBe(false);
    await clock.advance(1);
    const { text, summary } = await reading;
    expect(text).toBe("a");
    expect(summary).toMatchObject({ end: "idle", receivedAnything: true });
    expect(clock.pending).toBe(0);
  });

  it("counts the silence from the last read, not from the start", { timeout: 2_000 }, async () => {
    const clock = new FakeClock();
    let release: () => void = () => {};
    let reads = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (reads++ === 0) {
          await new Promise<void>((resolve) => (release = resolve));
          controller.enqueue(encoder.encode(chunk("late")));
        } else return new Promise(() => {});
      },
    });
    let ended = false;
    const summary = readChatStream(body, {
      onContent: () => {},
      onReasoning: () => {},
      idleTimeoutMs: IDLE_MS,
      signal: new AbortController().signal,
      clock,
    });
    void summary.finally(() => void (ended = true));
    await clock.advance(IDLE_MS / 2);
    release();
    await flushMicrotasks();
    await clock.advance(IDLE_MS - 1); // a whole timeout since the start, not since the last read
    expect(ended).toBe(false);
    await clock.advance(1);
    expect(await summary).toMatchObject({ end: "idle", receivedAnything: true });
  });

  it("tells a stream that never started from a stalled one", { timeout: 2_000 }, async () => {
    const clock = new FakeClock();
    const reading = startReading([], { thenHang: true, clock });
    await clock.advance(IDLE_MS);
    expect((await reading).summary).toMatchObject({ end: "idle", receivedAnything: false });
  });

  it("stops at once when aborted, and leaves no timer behind", { timeout: 2_000 }, async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const reading = startReading([chunk("a")], { thenHang: true, signal: controller.signal, clock });
    await flushMicrotasks();
    controller.abort();
    expect((await reading).summary.end).toBe("aborted");
    expect(clock.pending).toBe(0);
  });

  it("takes an event of several MB whole (an image model's data URL), and goes on after it", async () => {
    const image = `data:image/png;base64,${"A".repeat(6 * 1024 * 1024)}`;
    const frame = deltaFrame({
      role: "assistant",
      content: "",
      images: [{ type: "image_url", image_url: { url: image } }],
    });
    const parts = [chunk("a"), ...splitEvery(frame, 16_384), chunk("b"), finish(), done];
    const { text, summary } = await read(parts);
    expect(text).toBe("ab");
    expect(summary.end).toBe("done");
  });

  it(
    "ends as broken, reading no further, when an event outgrows the bound (a line that never ends)",
    { timeout: 5_000 },
    async () => {
      let pulls = 0;
      const piece = encoder.encode("x".repeat(65_536));
      const endless = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(chunk("a") + "data: "));
        },
        pull(controller) {
          pulls++;
          controller.enqueue(piece);
        },
      });
      const summary = await readChatStream(endless, {
        onContent: () => {},
        onReasoning: () => {},
        idleTimeoutMs: IDLE_MS,
        signal: new AbortController().signal,
        clock: new FakeClock(),
      });
      expect(summary.end).toBe("broken");
      expect(pulls * piece.length).toBeLessThan(MAX_EVENT_CHARS + 4 * piece.length);
    },
  );

  it("bounds data lines that never end their event the same way", { timeout: 5_000 }, async () => {
    const line = `data: ${"y".repeat(1024 * 1024)}\n`;
    const { summary } = await read([chunk("a"), ...Array.from({ length: 9 }, () => line), chunk("never")]);
    expect(summary.end).toBe("broken");
  });
});
