// The /mcp pipeline (src/transport/streamable-http.ts) run in Node, without a Worker, for a client
// that reads nothing while a long answer streams: progress is dropped once 64 KB wait unread, the
// result is not (issue 16 §1). OpenRouter is a fake fetch; time is a fake clock that moves one
// millisecond per upstream token, so progress is due at every token.
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../src/config.js";
import { handleMcpRequest } from "../../src/transport/streamable-http.js";
import { HIGH_WATER_BYTES } from "../../src/transport/response-stream.js";
import { FakeClock } from "../support/fake-clock.js";
import { unitWorker } from "../support/worker-context.js";

const BASE = "http://upstream.test/api/v1";
const TOKENS = 2_000;

afterEach(() => vi.unstubAllGlobals());

/** A fake OpenRouter: GET /key accepts, a chat streams TOKENS tokens, a fake millisecond apart. */
function fakeOpenRouter(clock: FakeClock): { upstreamDone: Promise<void> } {
  let done!: () => void;
  const upstreamDone = new Promise<void>((resolve) => (done = resolve));
  const encoder = new TextEncoder();
  const frame = (body: object) => encoder.encode(`data: ${JSON.stringify(body)}\n\n`);
  vi.stubGlobal("fetch", async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${BASE}/key`) return Response.json({ data: { label: "k", limit: null, usage: 0 } });
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await clock.advance(1);
        if (sent < TOKENS)
          controller.enqueue(frame({ model: "m", choices: [{ index: 0, delta: { content: `t${sent++} ` } }] }));
        else {
          controller.enqueue(frame({ model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
          done();
        }
      },
    });
    return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
  });
  return { upstreamDone };
}

describe("a client that reads nothing while the answer streams", () => {
  it("gets a bounded share of the progress notifications, then the whole result", async () => {
    const clock = new FakeClock();
    const { upstreamDone } = fakeOpenRouter(clock);
    const token = "p".repeat(256);
    const request = new Request("http://localhost:8787/mcp", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        Authorization: "Bearer sk-or-v1-slow-reader",
        "MCP-Protocol-Version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "chat_completion", arguments: { prompt: "x" }, _meta: { progressToken: token } },
      }),
    });
    const res = await handleMcpRequest(
      request,
      readConfig({ OPENROUTER_BASE_URL: BASE, PROGRESS_INTERVAL_MS: "1" }),
      unitWorker(clock),
    );
    expect(res.headers.get("Content-Type")).toBe("text/event-stream");
    await upstreamDone;
    await clock.advance(1);

    const text = await res.text();
    const messages = text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)));
    const progress = messages.filter((m) => m.method === "notifications/progress");
    const noteBytes = `event: message\ndata: ${JSON.stringify(progress[0])}\n\n`.length;
    // Every token was due a notification; what a client that read nothing gets is what fits the high-water mark.
    expect(progress.length).toBeGreaterThan(0);
    expect(TOKENS * noteBytes).toBeGreaterThan(10 * HIGH_WATER_BYTES);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(HIGH_WATER_BYTES / noteBytes) + 2);
    expect(messages.at(-1)).toMatchObject({
      id: 1,
      result: { structuredContent: { text: Array.from({ length: TOKENS }, (_, i) => `t${i} `).join("") } },
    });
  });
});
