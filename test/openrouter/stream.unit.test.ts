// Unit tests of src/openrouter/stream.ts: readChatStream fed byte streams directly (what it relays,
// and how a stream ends). Its idle timeout and its bound on an event that never ends are in
// stream.timeouts.unit.test.ts.
import { describe, expect, it } from "vitest";
import { readChatStream } from "../../src/openrouter/stream.js";
import { IDLE_MS, read, streamOf } from "../support/chat-stream-reads.js";
import { FakeClock } from "../support/fake-clock.js";
import { chunk, deltaFrame, done, finish, thinking, usage } from "../support/openrouter-frames.js";

const encoder = new TextEncoder();

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
});
