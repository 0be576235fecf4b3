// Many concurrent streamed calls through one Worker: every answer whole, progress monotonic,
// and clients that hang up cost nothing upstream. Served by Miniflare directly: wrangler dev's
// local proxy runs out of file descriptors near 100 concurrent streams.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { post, rpc, sseMessages } from "../support/http.js";

const CONCURRENCY = 200;
const TOKENS = 40;
const expectedText = Array.from({ length: TOKENS }, (_, i) => `t${i} `).join("");

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "20" });

function streamedCall(i: number, signal?: AbortSignal, model = `stand-in/slow-${TOKENS}-10`): Promise<Response> {
  return post(
    worker.mcpUrl,
    rpc(i, "tools/call", {
      name: "chat_completion",
      arguments: { prompt: `call ${i}`, model },
      _meta: { progressToken: i },
    }),
    {
      key: VALID_KEY,
      signal,
    },
  );
}

describe("load", () => {
  it(`completes ${CONCURRENCY} concurrent streamed calls intact`, async () => {
    const results = await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => sseMessages(await (await streamedCall(i)).text())),
    );
    for (const [i, messages] of results.entries()) {
      const result = messages.at(-1)!;
      expect(result.id).toBe(i);
      expect(result.result.structuredContent.text).toBe(expectedText);
      const progress = messages.slice(0, -1).map((m) => {
        expect(m.params.progressToken).toBe(i);
        return m.params.progress as number;
      });
      expect(progress.length).toBeGreaterThan(0);
      for (let k = 1; k < progress.length; k++) expect(progress[k]).toBeGreaterThan(progress[k - 1]!);
    }
  });

  it("aborts the upstream of every client that hangs up, and finishes the others intact", async () => {
    const before = standIn.chatRequests().length;
    const outcomes = await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => {
        const controller = new AbortController();
        // Those that hang up ask for an answer that never ends: only their leaving can close it.
        const res = await streamedCall(i, controller.signal, i % 2 === 1 ? "stand-in/hang-after-3" : undefined);
        if (i % 2 === 1) {
          // Hang up after the first bytes of the stream.
          const reader = res.body!.getReader();
          await reader.read();
          controller.abort();
          return { i, hungUp: true, text: undefined };
        }
        return {
          i,
          hungUp: false,
          text: sseMessages(await res.text()).at(-1)!.result.structuredContent.text as string,
        };
      }),
    );
    for (const outcome of outcomes) if (!outcome.hungUp) expect(outcome.text).toBe(expectedText);

    const upstream = standIn.chatRequests().slice(before);
    expect(upstream).toHaveLength(CONCURRENCY);
    const byPrompt = new Map(
      upstream.map((r) => [(r.body as { messages: { content: string }[] }).messages.at(-1)!.content, r]),
    );
    const closings = await Promise.all(
      outcomes.map(async ({ i }) => [i, await byPrompt.get(`call ${i}`)!.whenClosed] as const),
    );
    for (const [i, how] of closings) expect(how).toBe(i % 2 === 1 ? "client-closed" : "finished");
  });
});
