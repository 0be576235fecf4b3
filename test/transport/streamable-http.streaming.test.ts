// A long answer over the wire, the real Worker in workerd and a stand-in OpenRouter on loopback
// (src/transport/response-stream.ts and streamable-http.ts, src/mcp/cancellation.ts): batches of
// streamed calls, coalesced progress, keepalives, disconnect probes, hang-ups and cancellation.
// The same rules on a fake clock, without waiting: the *.unit.test.ts files beside these.
import { describe, expect, it } from "vitest";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { chatCall as call, post, rpc, sseMessages, parseSse, tokensText } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

describe("batches of tool calls (2025-03-26)", () => {
  it("streams every member's progress and result over one SSE response", async () => {
    const batch = [
      call({ prompt: "x", model: "stand-in/slow-5-10" }, { progressToken: "a" }, 1),
      call({ prompt: "y", model: "stand-in/tokens-3" }, { progressToken: "b" }, 2),
      rpc(3, "ping"),
    ];
    const res = await post(worker.mcpUrl, batch, { key: VALID_KEY, protocolVersion: "2025-03-26" });
    expect(res.headers.get("Content-Type")).toBe("text/event-stream");
    const messages = sseMessages(await res.text());
    const results = new Map(messages.filter((m) => "id" in m).map((m) => [m.id, m]));
    expect(results.get(1)!.result.structuredContent.text).toBe(tokensText(5));
    expect(results.get(2)!.result.structuredContent.text).toBe(tokensText(3));
    expect(results.get(3)!.result).toEqual({});
    const tokensSeen = new Set(
      messages.filter((m) => m.method === "notifications/progress").map((m) => m.params.progressToken),
    );
    expect(tokensSeen).toEqual(new Set(["a", "b"]));
  });

  it("answers one JSON array to a JSON-only client", async () => {
    const batch = [
      call({ prompt: "x", model: "stand-in/tokens-4" }, undefined, 1),
      call({ prompt: "y", model: "stand-in/error-402" }, undefined, 2),
    ];
    const res = await post(worker.mcpUrl, batch, {
      key: VALID_KEY,
      protocolVersion: "2025-03-26",
      accept: "application/json",
    });
    const answers = await res.json();
    expect(answers).toHaveLength(2);
    const byId = new Map(answers.map((a: { id: number }) => [a.id, a]));
    expect((byId.get(1) as any).result.structuredContent.text).toBe(tokensText(4));
    expect((byId.get(2) as any).result.isError).toBe(true);
  });
});

describe("coalescing and keepalive", () => {
  const tuned = useWorker({ PROGRESS_INTERVAL_MS: "3600000", KEEPALIVE_INTERVAL_MS: "40" }, { standIn });

  it("sends the first progress at the first token, holds the rest for the interval, and ends with the final count", async () => {
    const res = await post(tuned.mcpUrl, call({ prompt: "x", model: "stand-in/tokens-500" }, { progressToken: 1 }), {
      key: VALID_KEY,
    });
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === "notifications/progress");
    expect(progress.map((m) => [m.params.progress, m.params.total])).toEqual([
      [0, undefined], // at the first token, holding back the newest (it might be the last)
      [500, 500], // when the answer is whole, just before the result
    ]);
    expect(messages.at(-1)!.result.structuredContent.text).toBe(tokensText(500));
  });

  it("sends SSE comments while the upstream is quiet", async () => {
    const res = await post(tuned.mcpUrl, call({ prompt: "x", model: "stand-in/slow-3-250" }), { key: VALID_KEY });
    const { comments } = parseSse(await res.text());
    expect(comments.length).toBeGreaterThan(0);
    expect(comments[0]).toMatch(/^: ?keepalive/);
  });

  it("keeps a JSON response alive with leading whitespace that still parses", async () => {
    const res = await post(tuned.mcpUrl, call({ prompt: "x", model: "stand-in/slow-3-250" }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    const text = await res.text();
    expect(text.startsWith("\n")).toBe(true);
    expect(JSON.parse(text).result.structuredContent.text).toBe(tokensText(3));
  });
});

describe("disconnect probes", () => {
  // With the default 15 s keepalive, a quiet answer still gets a byte each second.
  it("are empty SSE comments that clients ignore", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/slow-2-1200" }), { key: VALID_KEY });
    const text = await res.text();
    expect(parseSse(text).comments).toContain(":");
    const messages = sseMessages(text);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.result.structuredContent.text).toBe(tokensText(2));
  });

  it("are spaces before a JSON answer, which still parses", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/slow-2-1200" }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    const text = await res.text();
    expect(text).toMatch(/^ +\{/);
    expect(JSON.parse(text).result.structuredContent.text).toBe(tokensText(2));
  });
});

describe("client disconnect", () => {
  it("aborts the upstream request at once", async () => {
    const before = standIn.chatRequests().length;
    const controller = new AbortController();
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/hang-after-2" }, { progressToken: 1 }), {
      key: VALID_KEY,
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read(); // the first progress notification
    expect(new TextDecoder().decode(first.value)).toContain("notifications/progress");
    controller.abort();
    const upstream = standIn.chatRequests()[before]!;
    await expect(upstream.whenClosed).resolves.toBe("client-closed");
    expect(upstream.closedEarly).toBe(true);
  });

  it("aborts the upstream request while the client is sent nothing (SSE without a progress token)", async () => {
    const before = standIn.chatRequests().length;
    const controller = new AbortController();
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/hang-after-2" }), {
      key: VALID_KEY,
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    controller.abort();
    // workerd sees the client gone only on a write: the probe byte is what reveals it.
    await expect(standIn.chatRequests()[before]!.whenClosed).resolves.toBe("client-closed");
  });

  it("aborts the upstream request in JSON mode too", async () => {
    const before = standIn.chatRequests().length;
    const controller = new AbortController();
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/hang-after-2" }), {
      accept: "application/json",
      key: VALID_KEY,
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    controller.abort();
    await expect(standIn.chatRequests()[before]!.whenClosed).resolves.toBe("client-closed");
  });

  it("stops the upstream on notifications/cancelled from the same key, the stream still open; another key's cancel changes nothing", async () => {
    const before = standIn.chatRequests().length;
    const controller = new AbortController();
    const res = await post(
      worker.mcpUrl,
      call({ prompt: "x", model: "stand-in/hang-after-2" }, { progressToken: 1 }, "call-7"),
      { key: VALID_KEY, signal: controller.signal },
    );
    const reader = res.body!.getReader();
    await reader.read(); // the first progress notification: the call is streaming
    const upstream = standIn.chatRequests()[before]!;
    const cancel = {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: "call-7", reason: "gave up" },
    };
    const settledWithin = (ms: number) =>
      Promise.race([upstream.whenClosed, new Promise((resolve) => setTimeout(() => resolve("still running"), ms))]);
    try {
      expect((await post(worker.mcpUrl, cancel, { key: "sk-or-v1-someone-else" })).status).toBe(202);
      expect(
        (await post(worker.mcpUrl, { ...cancel, params: { requestId: "call-8" } }, { key: VALID_KEY })).status,
      ).toBe(202);
      expect(await settledWithin(1_000)).toBe("still running");
      expect((await post(worker.mcpUrl, cancel, { key: VALID_KEY })).status).toBe(202);
      expect(await settledWithin(5_000)).toBe("client-closed");
    } finally {
      controller.abort();
    }
  });

  it("stops only the cancelling client's call when two clients of one key run calls with the same id", async () => {
    const before = standIn.chatRequests().length;
    const controller = new AbortController();
    const start = (userAgent: string) =>
      post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/hang-after-2" }, { progressToken: 1 }, 0), {
        key: VALID_KEY,
        signal: controller.signal,
        headers: { "User-Agent": userAgent },
      });
    const first = await start("client-a/1.0");
    await first.body!.getReader().read();
    const second = await start("client-b/1.0");
    await second.body!.getReader().read();
    const [upstreamA, upstreamB] = standIn.chatRequests().slice(before);
    const cancel = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 0 } };
    try {
      const res = await post(worker.mcpUrl, cancel, { key: VALID_KEY, headers: { "User-Agent": "client-a/1.0" } });
      expect(res.status).toBe(202);
      await expect(upstreamA!.whenClosed).resolves.toBe("client-closed");
      const stillRunning = await Promise.race([
        upstreamB!.whenClosed,
        new Promise((resolve) => setTimeout(() => resolve("still running"), 1_000)),
      ]);
      expect(stillRunning).toBe("still running");
    } finally {
      controller.abort();
    }
  });
});
