// What one durable call tells: its followers' progress, its end and its heartbeat words while the
// model is silent, and the status message of a finished call (fake clock, in-memory storage).
import { describe, expect, it } from "vitest";
import { summaryOf, type CallEvent } from "../../src/durable/task.js";
import type { CallToolResult } from "../../src/tool-result.js";
import { ORDER, RESULT, setUp } from "../support/call-state-harness.js";

describe("a durable call's followers", () => {
  it("sends followers coalesced progress, then the end, then nothing more", async () => {
    const { clock, state } = setUp();
    await state.begin(ORDER, "starting");
    const events: CallEvent[] = [];
    state.follow((event) => events.push(event));
    for (let i = 1; i <= 50; i++) state.report(i, (count) => `m · ${count} tokens`);
    await clock.advance(100);
    expect(events).toEqual([{ kind: "progress", count: 50, message: "m · 50 tokens" }]);
    await state.finish(RESULT, "Done.");
    state.report(51, () => "late");
    await clock.advance(1000);
    expect(events.map((e) => e.kind)).toEqual(["progress", "progress", "end"]);
    expect(events[1]).toEqual({ kind: "progress", count: 50, message: "m · 50 tokens" }); // the final count, before the end
    expect(clock.pending).toBe(0);
  });

  it("answers a follower of an ended call with its end at once", async () => {
    const { state } = setUp();
    await state.begin(ORDER, "starting");
    await state.finish(RESULT, "Done.");
    const events: CallEvent[] = [];
    state.follow((event) => events.push(event));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "end", snapshot: { status: "completed" } });
  });

  it("tells its followers its words again while the model is silent, for as long as anyone follows", async () => {
    const { clock, state } = setUp();
    await state.begin(ORDER, "starting");
    const started = clock.now();
    state.report(0, () => `o3 · thinking (hidden) · ${(clock.now() - started) / 1000}s`);
    const events: CallEvent[] = [];
    const unfollow = state.follow((event) => events.push(event));
    await clock.advance(30_000);
    const said = events.map((e) => (e.kind === "progress" ? e.message : e.kind));
    expect(said).toEqual([
      "o3 · thinking (hidden) · 7.5s",
      "o3 · thinking (hidden) · 15s",
      "o3 · thinking (hidden) · 22.5s",
      "o3 · thinking (hidden) · 30s",
    ]);
    unfollow();
    expect(clock.pending).toBe(0);
  });

  it("stops telling them once the call has ended", async () => {
    const { clock, state } = setUp();
    await state.begin(ORDER, "starting");
    state.report(0, () => "waiting");
    const events: CallEvent[] = [];
    state.follow((event) => events.push(event));
    await state.finish(RESULT, "Done.");
    const ended = events.length;
    await clock.advance(60_000);
    expect(events.length).toBe(ended);
    expect(clock.pending).toBe(0);
  });
});

describe("a finished call's status message", () => {
  it("sums up an answer: the model that answered, its tokens and cost", () => {
    const answered: CallToolResult = {
      content: [{ type: "text", text: "hi" }],
      structuredContent: { text: "hi", model: "openai/gpt-4o-mini", usage: { completion_tokens: 12, cost: 0.00002 } },
    };
    expect(summaryOf(answered, "~openai/gpt-mini-latest")).toBe("Done: openai/gpt-4o-mini · 12 tokens · $0.00002.");
  });

  it("says why a call failed, in the tool error's words, and names the model asked for when the result names none", () => {
    const refusal: CallToolResult = {
      content: [{ type: "text", text: "Out of credits for this key.\nAdd credits." }],
      structuredContent: {
        text: "",
        model: "openai/o3",
        usage: { completion_tokens: 0 },
        error: "Out of credits for this key.\nAdd credits.",
      },
      isError: true,
    };
    expect(summaryOf(refusal, "openai/o3")).toBe("openai/o3 · failed: Out of credits for this key. Add credits.");
    const broken: CallToolResult = {
      content: [
        { type: "text", text: "t0 t1 " },
        { type: "text", text: "The stream broke." },
      ],
      structuredContent: {
        text: "t0 t1 ",
        model: "m",
        usage: { completion_tokens: 2, cost: 0.1 },
        error: "The stream broke.",
      },
      isError: true,
    };
    expect(summaryOf(broken, "m")).toBe("m · 2 tokens · $0.1 · failed: The stream broke.");
    const bare: CallToolResult = {
      content: [{ type: "text", text: "OpenRouter rejected the API key." }],
      isError: true,
    };
    expect(summaryOf(bare, "anthropic/claude-haiku-4.5")).toBe(
      "anthropic/claude-haiku-4.5 · failed: OpenRouter rejected the API key.",
    );
  });
});
