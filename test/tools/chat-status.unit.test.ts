// Unit tests of src/tools/chat-status.ts: what a model is doing, in words, on a fake clock.
import { describe, expect, it } from "vitest";
import { ModelStatus } from "../../src/tools/chat-status.js";
import { FakeClock } from "../support/fake-clock.js";

describe("ModelStatus", () => {
  it("says how long a model has been silent before its first token, and whether OpenRouter says it works", async () => {
    const clock = new FakeClock();
    const status = new ModelStatus("openai/o3", clock);
    await clock.advance(12_000);
    expect(status.line(0)).toBe("openai/o3 · waiting for the first token · 12s");
    status.comment();
    await clock.advance(148_000);
    expect(status.line(0)).toBe("openai/o3 · thinking (hidden) · 2m 40s");
    expect(status.brief("o3")).toBe("o3: thinking (hidden) 2m 40s");
    await clock.advance(3_600_000);
    expect(status.line(0)).toBe("openai/o3 · thinking (hidden) · 1h 2m");
  });

  it("says what it writes, thinks, draws or speaks, with the latest words, and a silence mid-answer", async () => {
    const clock = new FakeClock();
    const status = new ModelStatus("m", clock, true);
    const thoughts = ["Let me ", "see."];
    status.reasoning(thoughts);
    expect(status.line(1)).toBe("m · thinking · 1 token · Let me see.");
    const pieces = ["Hello ", "there"];
    status.text(pieces);
    expect(status.line(2)).toBe("m · making an image · 2 tokens · Hello there");
    status.reasoning(thoughts); // reasoning after the answer began: still writing
    expect(status.brief("m")).toBe("m: writing 3");
    status.image();
    // A notification goes out soon after a token: a silence is timed from the one that saw it.
    expect(status.line(4)).toBe("m · 1 image(s) received · 4 tokens · Hello there");
    await clock.advance(25_000);
    expect(status.line(4)).toBe("m · 1 image(s) received · 4 tokens · quiet 25s · Hello there");
    expect(status.brief("m")).toBe("m: writing 4 (quiet 25s)");
    status.speech(["Hi"]);
    expect(status.line(5)).toBe("m · speaking · 5 tokens · Hi");
    status.end(false);
    expect(status.brief("m")).toBe("m: done");
    status.end(true);
    expect(status.brief("m")).toBe("m: failed");
  });
});
