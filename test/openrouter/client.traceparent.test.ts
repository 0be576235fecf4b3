// The caller's trace reaches OpenRouter (src/openrouter/client.ts, from mcp/caller.ts's Caller):
// a tools/call whose _meta carries a W3C traceparent makes every request it sends upstream carry
// one of the same trace, naming the call's own span as the parent; a call without one (or with
// one that is not W3C's) sends none. Held here on its own, apart from the log line's test.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { postWithKey as post, rpc, type PostOptions } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const LEGACY: PostOptions = { accept: "application/json", protocolVersion: "2025-11-25" };

/** The chat requests the stand-in received for this prompt. */
const upstreamFor = (prompt: string) => standIn.chatRequests().filter((r) => JSON.stringify(r.body).includes(prompt));

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("not seen upstream");
}

describe("traceparent", () => {
  it("reaches OpenRouter with a chat: the same trace, the call's own span as the parent, the same flags", async () => {
    const trace = hex(16);
    const parent = hex(8);
    const prompt = `traced ${hex(4)}`;
    const res = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", {
        name: "chat_completion",
        arguments: { prompt, model: "stand-in/tokens-2" },
        _meta: { traceparent: `00-${trace}-${parent}-01` },
      }),
      LEGACY,
    );
    expect(res.status).toBe(200);
    const [upstream] = upstreamFor(prompt);
    const sent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(upstream!.headers.traceparent ?? "");
    expect(sent?.[1]).toBe(trace);
    expect(sent?.[2]).not.toBe(parent);
  });

  it("reaches OpenRouter from a durable call too: a task's and a background call's chat carry the trace", async () => {
    for (const [how, extra] of [
      ["task", { task: {} }],
      ["background", {}],
    ] as const) {
      const trace = hex(16);
      const prompt = `traced ${how} ${hex(4)}`;
      const res = await post(
        worker.mcpUrl,
        rpc(2, "tools/call", {
          name: "chat_completion",
          arguments: { prompt, model: "stand-in/tokens-2", ...(how === "background" ? { background: true } : {}) },
          _meta: { traceparent: `00-${trace}-${hex(8)}-00` },
          ...extra,
        }),
        LEGACY,
      );
      expect(res.status).toBe(200);
      const upstream = await until(() => upstreamFor(prompt)[0]);
      expect(upstream.headers.traceparent, how).toMatch(new RegExp(`^00-${trace}-[0-9a-f]{16}-00$`));
    }
  });

  it("is not sent when the call carried none, or one that is not W3C's", async () => {
    for (const meta of [
      undefined,
      { traceparent: "not a traceparent" },
      { traceparent: `01-${hex(16)}-${hex(8)}-01` },
    ]) {
      const prompt = `untraced ${hex(4)}`;
      const res = await post(
        worker.mcpUrl,
        rpc(3, "tools/call", {
          name: "chat_completion",
          arguments: { prompt, model: "stand-in/tokens-2" },
          ...(meta ? { _meta: meta } : {}),
        }),
        LEGACY,
      );
      expect(res.status).toBe(200);
      expect(upstreamFor(prompt)[0]!.headers.traceparent).toBeUndefined();
    }
  });
});
