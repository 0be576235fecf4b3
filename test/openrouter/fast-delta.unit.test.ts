// Unit tests of src/openrouter/fast-delta.ts: the relay's fast path agrees with a full parse.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastDelta } from "../../src/openrouter/fast-delta.js";
import { chunk, deltaFrame, finish, thinking } from "../support/openrouter-frames.js";

describe("fastDelta", () => {
  const sink = () => {
    const seen: [string, string][] = [];
    return {
      seen,
      onContent: (t: string) => void seen.push(["content", t]),
      onReasoning: (t: string) => void seen.push(["reasoning", t]),
    };
  };
  const data = (frame: string) => frame.slice("data: ".length, -2);

  it("takes ordinary content and reasoning frames without a parse", () => {
    const s = sink();
    expect(fastDelta(data(chunk("hi")), s)).toBe(true);
    expect(fastDelta(data(thinking("hmm")), s)).toBe(true);
    expect(s.seen).toEqual([
      ["content", "hi"],
      ["reasoning", "hmm"],
    ]);
  });

  it("finds the delta frame after frame wherever it sits, as concurrent streams with other fields make it", () => {
    const s = sink();
    const frames = [
      chunk("a"),
      deltaFrame({ content: "b" }),
      thinking("c"),
      chunk("d"),
      chunk("e"),
      deltaFrame({ role: "assistant", content: "f" }),
    ];
    for (const frame of frames) expect(fastDelta(data(frame), s)).toBe(true);
    expect(s.seen.map(([, text]) => text).join("")).toBe("abcdef");
  });

  it("leaves unusual frames to the full parse, handing nothing on", () => {
    const s = sink();
    for (const frame of [
      deltaFrame({ reasoning: "first", content: "" }),
      deltaFrame({ reasoning: "abcd", content: "" }), // as long as the role key would be
      deltaFrame({ refusal: "abcdef", content: "" }),
      deltaFrame({ role: "assistant", content: "", reasoning_details: [{ type: "reasoning.text", text: "x" }] }),
      deltaFrame({
        role: "assistant",
        content: "",
        reasoning: null,
        reasoning_details: [{ type: "reasoning.encrypted", data: "x" }],
      }),
      // Generated images and citations: never a text frame's fast path.
      deltaFrame({
        role: "assistant",
        content: "",
        images: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }],
      }),
      deltaFrame({
        role: "assistant",
        content: "cited",
        annotations: [{ type: "url_citation", url_citation: { url: "https://a.example", title: "A" } }],
      }),
      finish(),
    ]) {
      expect(fastDelta(data(frame), s)).toBe(false);
    }
    expect(s.seen).toEqual([]);
  });

  it("agrees with a full parse on any content and reasoning text", () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('"', "\\", '},"finish_reason":"stop"', '"reasoning":"x"', "{", "]"),
    );
    let fast = 0;
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), fc.boolean(), (content, reasoning, details) => {
        const delta: Record<string, unknown> = { role: "assistant", content };
        if (reasoning !== undefined) {
          delta.reasoning = reasoning;
          if (details)
            delta.reasoning_details = [{ type: "reasoning.text", text: reasoning, format: "unknown", index: 0 }];
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
