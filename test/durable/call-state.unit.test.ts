// The rules one durable call follows, with a fake clock and an in-memory storage: statuses and
// their order, what is stored (never the key), the lost-call rule, retention, and followers.
import { describe, expect, it } from "vitest";
import { CallState, HEARTBEAT_MS, LOST_CALL_MESSAGE, type CallStorage } from "../../src/durable/call-state.js";
import type { CallEvent, StoredCall } from "../../src/durable/task.js";
import type { CallToolResult } from "../../src/tool-result.js";
import { FakeClock } from "../support/fake-clock.js";

class MemoryStorage implements CallStorage {
  stored: StoredCall | undefined;
  alarm: number | undefined;
  writes = 0;
  read(): StoredCall | undefined {
    return this.stored && structuredClone(this.stored);
  }
  write(call: StoredCall): void {
    this.writes++;
    this.stored = structuredClone(call);
  }
  async erase(): Promise<void> {
    this.stored = undefined;
    this.alarm = undefined;
  }
  async wakeAt(at: number): Promise<void> {
    this.alarm = at;
  }
}

const ORDER = { taskId: "t".repeat(32), owner: "owner-hash", retentionMs: 3_600_000, progressToken: 7 };
const RESULT: CallToolResult = {
  content: [{ type: "text", text: "hello" }],
  structuredContent: { text: "hello", model: "m" },
};

function setUp() {
  const clock = new FakeClock();
  const storage = new MemoryStorage();
  const state = new CallState(storage, clock, 100);
  return { clock, storage, state };
}

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

  it("saves the answer so far every few seconds, not on every token", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    const writes = storage.writes;
    for (let i = 1; i <= 100; i++) {
      state.append("x");
      state.report(i, (count) => `${count}`);
    }
    expect(storage.writes).toBe(writes);
    await clock.advance(5000);
    state.append("y");
    state.report(101, (count) => `${count}`);
    expect(storage.writes).toBe(writes + 1);
    expect(storage.stored?.partial).toEqual({ text: `${"x".repeat(100)}y`, tokens: 101 });
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
    expect(storage.stored?.partial).toBeUndefined();
    expect(storage.alarm).toBe(clock.now() + ORDER.retentionMs);
  });

  it("stays cancelled when the answer arrives after a cancel", async () => {
    const { state } = setUp();
    await state.begin(ORDER, "starting");
    expect(await state.cancel("Cancelled.")).toBe(true);
    await state.finish(RESULT, "Done.");
    expect(state.snapshot(false)).toMatchObject({ status: "cancelled", statusMessage: "Cancelled." });
    expect(state.snapshot(false).outcome).toBeUndefined();
    expect(await state.cancel("again")).toBe(false);
  });

  it("marks a working call that no one runs as failed at the heartbeat, keeping the saved text", async () => {
    const { clock, storage, state } = setUp();
    await state.begin(ORDER, "starting");
    state.append("partial answer");
    await clock.advance(5000);
    state.report(1, () => "m · 1 token");
    // The object restarts: a new state reads what was stored; nothing runs the call any more.
    const after = new CallState(storage, clock, 100);
    await clock.advance(HEARTBEAT_MS);
    expect(await after.wake(false)).toBe(false);
    expect(after.snapshot(true)).toMatchObject({
      status: "failed",
      statusMessage: LOST_CALL_MESSAGE,
      outcome: { kind: "failed", message: LOST_CALL_MESSAGE, text: "partial answer" },
      partial: { text: "partial answer", tokens: 1 },
    });
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

  it("keeps a result too large for one storage value as a tool error with the start of its text, and still ends", async () => {
    const clock = new FakeClock();
    const storage = new MemoryStorage();
    const write = storage.write.bind(storage);
    // As SQLite-backed Durable Object storage does past its value limit (about 2 MB).
    storage.write = (call) => {
      if (JSON.stringify(call).length > 2_000_000) throw new Error("value too large");
      write(call);
    };
    const state = new CallState(storage, clock, 100);
    await state.begin(ORDER, "starting");
    const events: CallEvent[] = [];
    state.follow((event) => events.push(event));
    const huge = "x".repeat(1_200_000);
    await state.finish(
      { content: [{ type: "text", text: huge }], structuredContent: { text: huge, model: "m" } },
      "Done.",
    );
    const stored = storage.stored!;
    expect(stored.status).toBe("completed");
    const result = stored.outcome?.kind === "result" ? stored.outcome.result : undefined;
    expect(result?.isError).toBe(true);
    expect((result?.content[0] as { text: string }).text).toBe("x".repeat(500_000));
    expect((result?.content[1] as { text: string }).text).toMatch(/too large for a durable call to keep/);
    expect(events.at(-1)).toMatchObject({ kind: "end", snapshot: { status: "completed" } });
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
        "outcome",
        "owner",
        "progressToken",
        "retentionMs",
        "status",
        "statusMessage",
        "taskId",
      ].sort(),
    );
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
