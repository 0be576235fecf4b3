// Unit tests of src/mcp/cancellation.ts: notifications/cancelled stops a call of the same key,
// within one check interval, on a fake clock (no real waiting).
import { describe, expect, it, vi } from "vitest";
import { cancelCalls, trackCalls } from "../../src/mcp/cancellation.js";
import { classifyMessage } from "../../src/mcp/jsonrpc.js";
import { FakeClock } from "../support/fake-clock.js";

/** notifications/cancelled as the Worker parses it. */
const cancelled = (requestId: unknown) =>
  classifyMessage({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason: "gave up" } });

function tracked(key: string, ids: Array<string | number>) {
  const clock = new FakeClock();
  const cancel = vi.fn();
  const forget = trackCalls(key, ids, cancel, clock);
  return { clock, cancel, forget };
}

describe("cancellation", () => {
  it("cancels a call of the same key within a quarter of a second", async () => {
    const { clock, cancel, forget } = tracked("key-a", [1, "two"]);
    cancelCalls("key-a", [cancelled("two")]);
    expect(cancel).not.toHaveBeenCalled();
    await clock.advance(250);
    expect(cancel).toHaveBeenCalled();
    forget();
    expect(clock.pending).toBe(0);
  });

  it("ignores a cancel from another key, for another id, or of another kind", async () => {
    const { clock, cancel, forget } = tracked("key-b", [1]);
    cancelCalls("key-other", [cancelled(1)]);
    cancelCalls("key-b", [
      cancelled(2),
      cancelled("1"),
      classifyMessage({ jsonrpc: "2.0", method: "notifications/progress", params: { requestId: 1 } }),
      classifyMessage({ jsonrpc: "2.0", id: 1, method: "notifications/cancelled", params: { requestId: 1 } }),
    ]);
    cancelCalls(undefined, [cancelled(1)]);
    await clock.advance(1_000);
    expect(cancel).not.toHaveBeenCalled();
    forget();
  });

  it("forgets a call once it ended: a late cancel finds nothing", async () => {
    const { clock, cancel, forget } = tracked("key-c", [1]);
    forget();
    cancelCalls("key-c", [cancelled(1)]);
    await clock.advance(1_000);
    expect(cancel).not.toHaveBeenCalled();
    expect(clock.pending).toBe(0);
  });

  it("tracks nothing without a key", () => {
    const clock = new FakeClock();
    trackCalls(undefined, [1], () => {}, clock);
    expect(clock.pending).toBe(0);
  });
});
