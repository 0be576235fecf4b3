// The upstream parser, fed byte streams directly (no Worker needed).
import { createParser } from "eventsource-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastDelta, readChatStream, sseDataFramer, utf8Decoder } from "../../src/openrouter/stream.js";

const encoder = new TextEncoder();

function chunk(content: string, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({
    id: "gen-1",
    provider: "P",
    model: "vendor/model",
    object: "chat.completion.chunk",
    created: 1,
    choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: null, native_finish_reason: null, logprobs: null }],
    ...extra,
  })}\n\n`;
}
const finish = (reason = "stop") =>
  `data: ${JSON.stringify({ id: "gen-1", model: "vendor/model", choices: [{ index: 0, delta: { content: "" }, finish_reason: reason }] })}\n\n`;
const usage = `data: ${JSON.stringify({ id: "gen-1", model: "vendor/model-2024", choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cost: 0.0001 } })}\n\n`;
const done = "data: [DONE]\n\n";

function streamOf(parts: (string | Uint8Array)[], options: { thenError?: boolean; thenHang?: boolean } = {}): ReadableStream<Uint8Array> {
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

async function read(parts: (string | Uint8Array)[], options: { thenError?: boolean; thenHang?: boolean; idleTimeoutMs?: number; signal?: AbortSignal } = {}) {
  const pieces: string[] = [];
  const reasoning: string[] = [];
  const summary = await readChatStream(streamOf(parts, options), {
    onContent: (text) => pieces.push(text),
    onReasoning: (text) => reasoning.push(text),
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    signal: options.signal ?? new AbortController().signal,
  });
  return { pieces, reasoning, text: pieces.join(""), summary };
}

/** A thinking model's frame as OpenRouter streams it: the reasoning twice, as text and as details. */
function thinking(text: string, detail: Record<string, unknown> = { type: "reasoning.text", text, format: "unknown", index: 0 }): string {
  return `data: ${JSON.stringify({
    id: "gen-1",
    provider: "P",
    model: "vendor/thinker",
    object: "chat.completion.chunk",
    created: 1,
    choices: [{ index: 0, delta: { role: "assistant", content: "", reasoning: text, reasoning_details: [detail] }, finish_reason: null, native_finish_reason: null, logprobs: null }],
  })}\n\n`;
}

/** A frame whose delta is given as is (for reasoning without a reasoning string, key orders). */
function deltaFrame(delta: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ id: "gen-1", model: "vendor/thinker", choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] })}\n\n`;
}

describe("readChatStream", () => {
  it("relays content, finish reason, usage with empty choices, and [DONE]", async () => {
    const { pieces, summary } = await read([": OPENROUTER PROCESSING\n\n", chunk("Hel"), chunk("lo"), finish(), usage, done]);
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
    const { text, summary } = await read([crlf(": OPENROUTER PROCESSING\n\n" + chunk("a") + chunk("b") + finish() + usage + done)]);
    expect(text).toBe("ab");
    expect(summary.end).toBe("done");
  });

  it("decodes escaped content exactly", async () => {
    const tricky = ['say "hi"', "back\\slash", "line\nbreak", "tab\t", "\\\"", "\u2028", "}\"finish_reason\":\"stop\"", "\"usage\":"];
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
    const { pieces, reasoning, summary } = await read([thinking("Let me"), thinking(" think \"hard\""), thinking(""), chunk("Yes"), chunk("."), finish(), withDetails, done]);
    expect(reasoning).toEqual(["Let me", ' think "hard"']);
    expect(pieces).toEqual(["Yes", "."]);
    expect(summary).toMatchObject({ provider: "P", end: "done" });
    expect(summary.usage).toEqual({ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12, reasoning_tokens: 6 });
  });

  it("reads reasoning given only as details: text, summary, encrypted (counted, without text)", async () => {
    const { reasoning, text } = await read([
      chunk("start"),
      deltaFrame({ role: "assistant", content: "", reasoning_details: [{ type: "reasoning.text", text: "a" }] }),
      deltaFrame({ role: "assistant", content: "", reasoning: null, reasoning_details: [{ type: "reasoning.summary", summary: "b" }] }),
      deltaFrame({ content: null, reasoning_details: [{ type: "reasoning.encrypted", data: "xyz" }] }),
      deltaFrame({ reasoning: "c", content: "" }),
      deltaFrame({ role: "assistant", content: "d", reasoning: null, reasoning_details: [] }),
      done,
    ]);
    expect(reasoning).toEqual(["a", "b", "", "c"]);
    expect(text).toBe("startd");
  });

  it("skips frames that are not JSON without losing the rest", async () => {
    const { text, summary } = await read([chunk("a"), "data: {not json\n\n", "data: \n\n", chunk("b"), finish(), usage, done]);
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

  it("ends a stalled stream after the idle timeout", async () => {
    const { text, summary } = await read([chunk("a")], { thenHang: true, idleTimeoutMs: 50 });
    expect(text).toBe("a");
    expect(summary).toMatchObject({ end: "idle", receivedAnything: true });
  });

  it("tells a stream that never started from a stalled one", async () => {
    const { summary } = await read([], { thenHang: true, idleTimeoutMs: 50 });
    expect(summary).toMatchObject({ end: "idle", receivedAnything: false });
  });

  it("stops at once when aborted", async () => {
    const controller = new AbortController();
    const reading = read([chunk("a")], { thenHang: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const { summary } = await reading;
    expect(summary.end).toBe("aborted");
  });
});

describe("fastDelta", () => {
  const sink = () => {
    const seen: [string, string][] = [];
    return { seen, onContent: (t: string) => void seen.push(["content", t]), onReasoning: (t: string) => void seen.push(["reasoning", t]) };
  };
  const data = (frame: string) => frame.slice("data: ".length, -2);

  it("takes ordinary content and reasoning frames without a parse", () => {
    const s = sink();
    expect(fastDelta(data(chunk("hi")), s)).toBe(true);
    expect(fastDelta(data(thinking("hmm")), s)).toBe(true);
    expect(s.seen).toEqual([["content", "hi"], ["reasoning", "hmm"]]);
  });

  it("leaves unusual frames to the full parse, handing nothing on", () => {
    const s = sink();
    for (const frame of [
      deltaFrame({ reasoning: "first", content: "" }),
      deltaFrame({ reasoning: "abcd", content: "" }), // as long as the role key would be
      deltaFrame({ refusal: "abcdef", content: "" }),
      deltaFrame({ role: "assistant", content: "", reasoning_details: [{ type: "reasoning.text", text: "x" }] }),
      deltaFrame({ role: "assistant", content: "", reasoning: null, reasoning_details: [{ type: "reasoning.encrypted", data: "x" }] }),
      finish(),
    ]) {
      expect(fastDelta(data(frame), s)).toBe(false);
    }
    expect(s.seen).toEqual([]);
  });

  it("agrees with a full parse on any content and reasoning text", () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('"', "\\", '},"finish_reason":"stop"', '"reasoning":"x"', "{", "]"));
    let fast = 0;
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), fc.boolean(), (content, reasoning, details) => {
        const delta: Record<string, unknown> = { role: "assistant", content };
        if (reasoning !== undefined) {
          delta.reasoning = reasoning;
          if (details) delta.reasoning_details = [{ type: "reasoning.text", text: reasoning, format: "unknown", index: 0 }];
        }
        const s = sink();
        if (!fastDelta(data(deltaFrame(delta)), s)) return;
        fast++;
        const expected: [string, string][] = [];
        if (reasoning) expected.push(["reasoning", reasoning]);
        if (content) expected.push(["content", content]);
        expect(s.seen).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBe(3000); // every one of these frames takes the fast path
  });
});

describe("sseDataFramer", () => {
  // Lines drawn to hit the edges: data with and without its space, empty data, multi-line
  // events, comments, other fields, unknown fields, and every line ending.
  const line = fc.oneof(
    fc.string({ unit: fc.constantFrom("a", "b", " ", ":", "{", "é", "😀") }).map((v) => `data: ${v}`),
    fc.string({ unit: fc.constantFrom("x", " ", ":") }).map((v) => `data:${v}`),
    fc.constantFrom("data", "data:", ": OPENROUTER PROCESSING", ":", "event: message", "id: 7", "retry: 10", "datum: x", "data : x", ""),
  );
  const ending = fc.constantFrom("\n", "\r\n", "\r");

  it("finds exactly the events eventsource-parser finds, in any pieces", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(line, ending), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cutsAt) => {
        const text = lines.map(([l, e]) => l + e).join("");
        const expected: string[] = [];
        const parser = createParser({ onEvent: (event) => expected.push(event.data) });
        const seen: string[] = [];
        const feed = sseDataFramer((data) => seen.push(data));
        const cuts = [...new Set(cutsAt.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const cut of [...cuts, text.length]) {
          parser.feed(text.slice(from, cut));
          feed(text.slice(from, cut));
          from = cut;
        }
        // A bare CR at the very end may be half of a CRLF: ours waits for the next byte, while
        // eventsource-parser 4 ends the line at once. One more LF settles it for both.
        parser.feed("\n");
        feed("\n");
        expect(seen).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("utf8Decoder", () => {
  const BOM = [0xef, 0xbb, 0xbf];
  // Bytes drawn to hit the edges: ASCII, multi-byte characters, byte order marks, stray and
  // truncated sequences.
  const piece = fc.oneof(
    fc.string().map((t) => [...encoder.encode(t)]),
    fc.constant(BOM),
    fc.constant([...encoder.encode("é😀")]),
    fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 3 }),
  );

  it("decodes any bytes, read in any pieces, exactly as one decode of the whole", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cutsAt) => {
        const all = Uint8Array.from(pieces.flat());
        const cuts = [...new Set(cutsAt.map((c) => (all.length === 0 ? 0 : c % (all.length + 1))))].sort((a, b) => a - b);
        const decode = utf8Decoder();
        let text = "";
        let from = 0;
        for (const cut of [...cuts, all.length]) {
          text += decode(all.subarray(from, cut));
          from = cut;
        }
        text += decode();
        expect(text).toBe(new TextDecoder().decode(all));
      }),
      { numRuns: 2000 },
    );
  });

  it("drops a byte order mark only at the very start", () => {
    const decode = utf8Decoder();
    expect(decode(Uint8Array.from([...BOM, 0x61]))).toBe("a");
    expect(decode(Uint8Array.from([...BOM, 0x62]))).toBe("\ufeffb");
  });
});
