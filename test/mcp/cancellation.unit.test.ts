// Unit tests of src/mcp/cancellation.ts: notifications/cancelled stops a call of the same key,
// within one check interval, on a fake clock (no real waiting).
import { describe, expect, it, vi } from "vitest";
import { asksCancellation, cancelCalls, cancellerOf, trackCalls } from "../../src/mcp/cancellation.js";
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

  it("names a caller by key hash, address and User-Agent", () => {
    const request = (userAgent: string) => new Request("http://x/mcp", { headers: { "User-Agent": userAgent } });
    const a = cancellerOf("key-d", "192.0.2.1", request("client/1"));
    expect(cancellerOf("key-d", "192.0.2.1", request("client/1"))).toBe(a);
    expect(cancellerOf("key-d", "192.0.2.2", request("client/1"))).not.toBe(a);
    expect(cancellerOf("key-d", "192.0.2.1", request("client/2"))).not.toBe(a);
    expect(cancellerOf("key-e", "192.0.2.1", request("client/1"))).not.toBe(a);
  });

  it("stops neither of two calls that share caller and id, and the one left once the other ended", async () => {
    const first = tracked("key-f", [0]);
    const second = tracked("key-f", [0]);
    cancelCalls("key-f", [cancelled(0)]);
    await first.clock.advance(1_000);
    await second.clock.advance(1_000);
    expect(first.cancel).not.toHaveBeenCalled();
    expect(second.cancel).not.toHaveBeenCalled();
    first.forget();
    cancelCalls("key-f", [cancelled(0)]);
    await second.clock.advance(250);
    expect(second.cancel).toHaveBeenCalled();
    second.forget();
  });

  it("names a caller only for a request that asks to cancel", () => {
    expect(asksCancellation([cancelled(1)])).toBe(true);
    expect(
      asksCancellation([
        classifyMessage({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1 } }),
        classifyMessage({ jsonrpc: "2.0", id: 1, method: "notifications/cancelled", params: { requestId: 1 } }),
      ]),
    ).toBe(false);
  });

  it("tracks nothing without a key", () => {
    const clock = new FakeClock();
    trackCalls(undefined, [1], () => {}, clock);
    expect(clock.pending).toBe(0);
  });
});
