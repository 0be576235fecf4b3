// Unit tests of src/openrouter/stream.ts: readChatStream fed byte streams directly, its idle
// timeout on a FakeClock (no real waiting), and its bound on an event that never ends.
import { describe, expect, it } from "vitest";
import { readChatStream } from "../../src/openrouter/stream.js";
import { MAX_EVENT_CHARS } from "../../src/openrouter/sse.js";
import { FakeClock, flushMicrotasks } from "../support/fake-clock.js";
import { chunk, deltaFrame, done, finish, thinking, usage } from "../support/openrouter-frames.js";

const encoder = new TextEncoder();
/** The idle timeout the tests read with: time passes only when a test advances the clock. */
const IDLE_MS = 60_000;

interface StreamShape {
  thenError?: boolean;
  thenHang?: boolean;
}

function streamOf(parts: (string | Uint8Array)[], options: StreamShape = {}): ReadableStream<Uint8Array> {
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
function startReading(
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

const read = (parts: (string | Uint8Array)[], options: StreamShape = {}) => startReading(parts, options);

describe("readChatStream", () => {
  it("relays content, finish reason, usage with empty choices, and [DONE]", async () => {
    const { pieces, summary } = await read([
      ": OPENROUTER PROCESSING\n\n",
      chunk("Hel"),
      chunk("lo"),
      finish(),
      usage,
      done,
    ]);
    expect(pieces).toEqual(["Hel", "lo"]);
    expect(summary).toMatchObject({ end: "done", finishReason: "stop", model: "vendor/model-2024", error: undefined });
    expect(summary.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cost: 0.0001 });
  });

  it("reassembles frames split across reads, even inside a UTF-8 character", async () => {
    const whole = encoder.encode(chunk("é😀") + chunk(" ok") + finish() + usage + done);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < whole.length; i += 3) parts.push(whole.slice(i, i + 3));
    const { text, summary } = await read(parts);
    expect(text).toBe("é😀 ok");
    expect(summary.end).toBe("done");
  });

  it("handles CRLF line endings", async () => {
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    const { text, summary } = await read([
      crlf(": OPENROUTER PROCESSING\n\n" + chunk("a") + chunk("b") + finish() + usage + done),
    ]);
    expect(text).toBe("ab");
    expect(summary.end).toBe("done");
  });

  it("decodes escaped content exactly", async () => {
    const tricky = [
      'say "hi"',
      "back\\slash",
      "line\nbreak",
      "tab\t",
      '\\"',
      "\u2028",
      '}"finish_reason":"stop"',
      '"usage":',
    ];
    const { pieces } = await read([chunk("start"), ...tricky.map((t) => chunk(t)), finish(), done]);
    expect(pieces).toEqual(["start", ...tricky]);
  });

  it("reads usage, an error or logprobs that follow the content in the same frame", async () => {
    const withUsage = chunk("a", { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    const withError = chunk("b", { error: { code: 502, message: "Provider disconnected" } });
    const withLogprobs = `data: ${JSON.stringify({ id: "g", model: "m", choices: [{ index: 0, delta: { content: "c" }, finish_reason: null, logprobs: { content: [{ token: "c", logprob: -0.1 }] } }] })}\n\n`;
    const { pieces, summary } = await read([chunk("start"), withUsage, withLogprobs, withError, done]);
    expect(pieces).toEqual(["start", "a", "c", "b"]);
    expect(summary.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    expect(summary.error).toEqual({ code: 502, message: "Provider disconnected" });
  });

  it("relays a thinking model's reasoning, then its answer, and the reasoning tokens and provider", async () => {
    const withDetails = `data: ${JSON.stringify({ id: "gen-1", model: "vendor/thinker", choices: [], usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12, completion_tokens_details: { reasoning_tokens: 6 } } })}\n\n`;
    const { pieces, reasoning, summary } = await read([
      thinking("Let me"),
      thinking(' think "hard"'),
      thinking(""),
      chunk("Yes"),
      chunk("."),
      finish(),
      withDetails,
      done,
    ]);
    expect(reasoning).toEqual(["Let me", ' think "hard"']);
    expect(pieces).toEqual(["Yes", "."]);
    expect(summary).toMatchObject({ provider: "P", end: "done" });
    expect(summary.usage).toEqual({ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12, reasoning_tokens: 6 });
  });

  it("hands on generated images and citations, and reads what usage reports beyond the counts", async () => {
    const images: string[] = [];
    const cited: [string, string][] = [];
    const image = "data:image/png;base64,iVBORw0KGgo=";
    const fullUsage = {
      prompt_tokens: 10,
      completion_tokens: 2,
      total_tokens: 12,
      cost: 0.5,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: 8, cache_write_tokens: 2, audio_tokens: 0 },
      cost_details: {
        upstream_inference_cost: null,
        upstream_inference_prompt_cost: 0.3,
        upstream_inference_completions_cost: 0.2,
      },
      server_tool_use_details: { web_search_requests: 3 },
    };
    const summary = await readChatStream(
      streamOf([
        chunk("Here"),
        deltaFrame({
          role: "assistant",
          content: "",
          images: [{ type: "image_url", image_url: { url: image } }, { type: "image_url" }],
        }),
        deltaFrame({
          role: "assistant",
          content: " it is",
          annotations: [
            { type: "url_citation", url_citation: { url: "https://a.example", title: "A" } },
            { type: "file_citation" },
          ],
        }),
        chunk("", { usage: fullUsage }),
        done,
      ]),
      {
        onContent: () => {},
        onReasoning: () => {},
        onImage: (url) => images.push(url),
        onCitation: (url, title) => cited.push([url, title]),
        idleTimeoutMs: IDLE_MS,
        signal: new AbortController().signal,
        clock: new FakeClock(),
      },
    );
    expect(images).toEqual([image]);
    expect(cited).toEqual([["https://a.example", "A"]]);
    expect(summary.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 2,
      total_tokens: 12,
      cost: 0.5,
      cached_tokens: 8,
      cache_write_tokens: 2,
      web_search_requests: 3,
      cost_details: { upstream_inference_prompt_cost: 0.3, upstream_inference_completions_cost: 0.2 },
    });
  });

  it("reads reasoning given only as details: text, summary, encrypted (counted, without text)", async () => {
    const { reasoning, text } = await read([
      chunk("start"),
      deltaFrame({ role: "assistant", content: "", reasoning_details: [{ type: "reasoning.text", text: "a" }] }),
      deltaFrame({
        role: "assistant",
        content: "",
        reasoning: null,
        reasoning_details: [{ type: "reasoning.summary", summary: "b" }],
      }),
      deltaFrame({ content: null, reasoning_details: [{ type: "reasoning.encrypted", data: "xyz" }] }),
      deltaFrame({ reasoning: "c", content: "" }),
      deltaFrame({ role: "assistant", content: "d", reasoning: null, reasoning_details: [] }),
      done,
    ]);
    expect(reasoning).toEqual(["a", "b", "", "c"]);
    expect(text).toBe("startd");
  });

  it("skips frames that are not JSON without losing the rest", async () => {
    const { text, summary } = await read([
      chunk("a"),
      "data: {not json\n\n",
      "data: \n\n",
      chunk("b"),
      finish(),
      usage,
      done,
    ]);
    expect(text).toBe("ab");
    expect(summary.end).toBe("done");
  });

  it("reports a mid-stream error chunk as an error, keeping the partial text", async () => {
    const error = `data: ${JSON.stringify({ id: "g", model: "m", error: { code: 502, message: "Provider disconnected" }, choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }] })}\n\n`;
    const { text, summary } = await read([chunk("par"), chunk("tial"), error, done]);
    expect(text).toBe("partial");
    expect(summary.error).toEqual({ code: 502, message: "Provider disconnected" });
    expect(summary.finishReason).toBe("error");
  });

  it("reports a broken connection", async () => {
    const { text, summary } = await read([chunk("a"), chunk("b")], { thenError: true });
    expect(text).toBe("ab");
    expect(summary.end).toBe("broken");
  });

  it("reports a stream that ends without [DONE]", async () => {
    const { summary } = await read([chunk("a")]);
    expect(summary.end).toBe("closed");
  });

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

function splitEvery(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}
