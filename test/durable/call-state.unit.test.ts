// The rules one durable call follows, with a fake clock and an in-memory storage: statuses and
// their order, what is stored (never the key), the lost-call rule and retention. Its followers and
// its status message are in call-state.followers.unit.test.ts.
import { describe, expect, it } from "vitest";
import { CallState, HEARTBEAT_MS, LOST_CALL_MESSAGE } from "../../src/durable/call-state.js";
import { KEPT_TEXT_BYTES, SAVE_TEXT_MS } from "../../src/durable/call-text.js";
import type { CallEvent } from "../../src/durable/task.js";
import { MAX_RESULT_BYTES, type CallToolResult } from "../../src/tool-result.js";
import { FakeClock } from "../support/fake-clock.js";
import { ORDER, RESULT, setUp } from "../support/call-state-harness.js";

describe("a durable call's state", () => {
  it("starts working, stored with its owner and progress token, the heartbeat armed", async () => {
    const { clock, storage, state } = setUp();
    const snapshot = await state.begin(ORDER, "m · waiting for the first token");
    expect(snapshot).toMatchObject({
      taskId: ORDER.taskId,
      status: "working",
      statusMessage: "m · waiting for the first token",
      progressToken: 7,
    });
    expect(snapshot.createdAt).toBe(clock.now());
    expect(storage.stored).toMatchObject({ owner: "owner-hash", status: "working" });
    expect(storage.alarm).toBe(clock.now() + HEARTBEAT_MS);
    expect(state.ownedBy("owner-hash")).toBeDefined();
    expect(state.ownedBy("someone-else")).toBeUndefined();
  });

  it("reports live progress in its status message and keeps the answer so far", async () => {
    const { state } = setUp();
    await state.begin(ORDER, "starting");
    state.append("Hel");
    state.append("lo");
    state.report(2, (count) => `m · ${count} tokens`);
    const snapshot = state.snapshot(true);
    expect(snapshot.statusMessage).toBe("m · 2 tokens");
    expect(snapshot.partial).toEqual({ text: "Hello", tokens: 2 });
    expect(state.snapshot(false).partial).toBeUndefined();
  });

  it("saves the text a second at most after it arrives, each save only what is new", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    const writes = storage.writes;
    for (let i = 1; i <= 100; i++) {
      state.append("x");
      state.report(i, (count) => `${count}`);
    }
    expect(storage.texts.size).toBe(0);
    await clock.advance(SAVE_TEXT_MS);
    expect([...storage.texts.values()]).toEqual(["x".repeat(100)]);
    expect(storage.writes).toBe(writes + 1);
    expect(storage.stored).toMatchObject({ savedTokens: 100, statusMessage: "100" });
    state.append("y");
    await clock.advance(SAVE_TEXT_MS - 1);
    expect(storage.texts.size).toBe(1);
    await clock.advance(1);
    expect([...storage.texts.values()]).toEqual(["x".repeat(100), "y"]);
    // Nothing new: no save.
    await clock.advance(10 * SAVE_TEXT_MS);
    expect(storage.texts.size).toBe(2);
  });

  it("keeps at most KEPT_TEXT_BYTES of the text so far, marked cut past that", async () => {
    const { state } = setUp();
    await state.begin(ORDER, "starting");
    state.append("a".repeat(KEPT_TEXT_BYTES - 2));
    state.append('"é'); // 2 bytes of JSON for the quote, then 2 for é: only the quote fits
    state.append("more");
    expect(state.snapshot(true).partial).toEqual({ text: `${"a".repeat(KEPT_TEXT_BYTES - 2)}"`, tokens: 0, cut: true });
  });

  it("completes with the result, grows its TTL from the end, and drops the saved partial", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    await clock.advance(60_000);
    await state.finish(RESULT, "Done.");
    const snapshot = state.snapshot(false);
    expect(snapshot).toMatchObject({
      status: "completed",
      statusMessage: "Done.",
      outcome: { kind: "result", result: RESULT },
    });
    expect(snapshot.ttlMs).toBe(60_000 + ORDER.retentionMs);
    expect(storage.stored?.savedTokens).toBeUndefined();
    expect(storage.texts.size).toBe(0);
    expect(storage.alarm).toBe(clock.now() + ORDER.retentionMs);
  });

  it("says how much longer it is kept: the retention while it works, counting down after its end", async () => {
    const { clock, state } = setUp();
    await state.begin(ORDER, "starting");
    await clock.advance(60_000);
    expect(state.keptForMs()).toBe(ORDER.retentionMs);
    await state.finish(RESULT, "Done.");
    await clock.advance(1_000);
    expect(state.keptForMs()).toBe(ORDER.retentionMs - 1_000);
  });

  it("fails with a tool error: one word for that outcome, its result kept", async () => {
    const { state } = setUp();
    await state.begin(ORDER, "starting");
    const refused: CallToolResult = { content: [{ type: "text", text: "Out of credits." }], isError: true };
    await state.finish(refused, "m · failed: Out of credits.");
    expect(state.snapshot(false)).toMatchObject({
      status: "failed",
      statusMessage: "m · failed: Out of credits.",
      outcome: { kind: "result", result: refused },
    });
  });

  it("keeps the text written until a cancel, and stays cancelled when the answer arrives after it", async () => {
    const { state, storage } = setUp();
    await state.begin(ORDER, "starting");
    state.append("so far");
    state.report(2, () => "m · 2 tokens");
    expect(await state.cancel("Cancelled.")).toBe(true);
    await state.finish(RESULT, "Done.");
    expect(state.snapshot(false)).toMatchObject({
      status: "cancelled",
      statusMessage: "Cancelled.",
      outcome: { kind: "cancelled", kept: { text: "so far", tokens: 2 } },
    });
    expect(storage.outcome).toEqual({ kind: "cancelled", kept: { text: "so far", tokens: 2 } });
    expect(storage.texts.size).toBe(0);
    expect(await state.cancel("again")).toBe(false);
  });

  it("marks a working call that no one runs as failed at the heartbeat, keeping the text saved", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    state.append("partial answer");
    state.report(1, () => "m · 1 token");
    await clock.advance(SAVE_TEXT_MS);
    state.append(" never saved");
    // The object restarts before its next save: a new state reads what was stored, and its
    // alarm finds that nothing runs the call any more.
    const after = new CallState(storage, new FakeClock(), 100);
    expect(await after.wake(false)).toBe(false);
    expect(after.snapshot(true)).toMatchObject({
      status: "failed",
      statusMessage: LOST_CALL_MESSAGE,
      outcome: { kind: "failed", message: LOST_CALL_MESSAGE, kept: { text: "partial answer", tokens: 1 } },
    });
    expect(LOST_CALL_MESSAGE).toMatch(/text received until a second before the restart is kept/);
  });

  it("keeps a working call that runs alive at each heartbeat", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    await clock.advance(HEARTBEAT_MS);
    expect(await state.wake(true)).toBe(false);
    expect(state.snapshot(false).status).toBe("working");
    expect(storage.alarm).toBe(clock.now() + HEARTBEAT_MS);
  });

  it("erases everything when the retention has passed, and not before", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    await state.finish(RESULT, "Done.");
    await clock.advance(ORDER.retentionMs - 1);
    expect(await state.wake(false)).toBe(false);
    await clock.advance(1);
    expect(await state.wake(false)).toBe(true);
    expect(storage.stored).toBeUndefined();
    expect(state.ownedBy("owner-hash")).toBeUndefined();
  });

  it("keeps a result within MAX_RESULT_BYTES, its text cut past that and marked, and still ends", async () => {
    const { storage, state } = setUp();
    await state.begin(ORDER, "starting");
    const events: CallEvent[] = [];
    state.follow((event) => events.push(event));
    const huge = "x".repeat(1_200_000);
    await state.finish(
      { content: [{ type: "text", text: huge }], structuredContent: { text: huge, model: "m" } },
      "Done.",
    );
    expect(storage.stored!.status).toBe("completed");
    const result = storage.outcome?.kind === "result" ? storage.outcome.result : undefined;
    expect(JSON.stringify(result).length).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(result?.structuredContent).toMatchObject({ truncated: true });
    expect((result?.content.at(-1) as { text: string }).text).toMatch(/longer than a durable call keeps/);
    expect(events.at(-1)).toMatchObject({ kind: "end", snapshot: { status: "completed" } });
  });

  it("forgets an ended call at once when asked, and never a working one", async () => {
    const { storage, state } = setUp();
    await state.begin(ORDER, "starting");
    expect(await state.discard()).toBe(false);
    expect(storage.stored).toBeDefined();
    await state.finish(RESULT, "Done.");
    expect(await state.discard()).toBe(true);
    expect(storage.stored).toBeUndefined();
    expect(storage.outcome).toBeUndefined();
    expect(storage.alarm).toBeUndefined();
    expect(state.ownedBy("owner-hash")).toBeUndefined();
  });

  it("never stores a key or the arguments", async () => {
    const { storage, state } = setUp();
    await state.begin({ ...ORDER }, "starting");
    state.append("text");
    await state.finish(RESULT, "Done.");
    expect(Object.keys(storage.stored!).sort()).toEqual(
      [
        "createdAt",
        "endedAt",
        "lastUpdatedAt",
        "model",
        "owner",
        "progressToken",
        "retentionMs",
        "status",
        "statusMessage",
        "taskId",
      ].sort(),
    );
  });

  it("is listed by a summary that never reads its outcome, even after a restart", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    await clock.advance(5_000);
    const huge = "x".repeat(MAX_RESULT_BYTES);
    await state.finish(
      { content: [{ type: "text", text: huge }], structuredContent: { text: huge, model: "m" } },
      "y".repeat(1_000),
    );
    // A new object for the same call (evicted, or restarted) lists it without reading the answer.
    const listed = new CallState(storage, clock, 100);
    const reads = storage.outcomeReads;
    const summary = listed.summary();
    expect(storage.outcomeReads).toBe(reads);
    expect(summary).toEqual({
      taskId: ORDER.taskId,
      status: "completed",
      statusMessage: "y".repeat(1_000),
      createdAt: clock.now() - 5_000,
      lastUpdatedAt: clock.now(),
      ttlMs: 5_000 + ORDER.retentionMs,
      pollIntervalMs: 2000,
    });
    expect(JSON.stringify(summary).length).toBeLessThan(2_000);
    // A snapshot still carries the outcome, read once when first asked for.
    expect(listed.snapshot(false).outcome).toMatchObject({ kind: "result" });
    expect(listed.snapshot(false).outcome).toMatchObject({ kind: "result" });
    expect(storage.outcomeReads).toBe(reads + 1);
  });
});
