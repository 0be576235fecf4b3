// The upstream parser, fed byte streams directly (no Worker needed).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readChatStream, utf8Decoder } from "../../src/openrouter/stream.js";

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
  const summary = await readChatStream(streamOf(parts, options), {
    onContent: (text) => pieces.push(text),
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    signal: options.signal ?? new AbortController().signal,
  });
  return { pieces, text: pieces.join(""), summary };
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
