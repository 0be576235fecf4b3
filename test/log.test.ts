// Unexpected errors (src/log.ts): a fault planted inside a tool, inside the relay of its streamed
// answer, and inside the Durable Object that runs a durable call, each comes out as exactly one
// JSON line in the Worker's log (what, where, the trace id; never the error's message) and as
// the protocol's internal error to the client. The Worker here is the real one with the faults
// planted (test/support/planted-faults.ts), bundled as wrangler bundles it.
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../stand-in/openrouter.js";
import { BUILD_DIR, ROOT } from "./support/build-worker.js";
import { useStandIn, useWorker } from "./support/fixture.js";
import { chatCall, postWithKey, rpc, sseMessages } from "./support/http.js";

const script = `${BUILD_DIR}/with-faults/index.js`;
buildSync({
  entryPoints: [`${ROOT}test/support/planted-faults.ts`],
  outfile: script,
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:workers"],
  logLevel: "warning",
});

const standIn = useStandIn();
const worker = useWorker({}, { standIn, script });

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

/** The unexpected-error lines the Worker logged while `act` ran. */
async function errorLinesDuring(act: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const before = worker.logs().length;
  await act();
  // A Durable Object's line may follow its answer by a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return worker
    .logs()
    .slice(before)
    .filter((line) => line.includes('"unexpected_error"'))
    .map((line) => JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>);
}

describe("an unexpected error", () => {
  it("inside a tool: one JSON line, and -32603 with HTTP 500", async () => {
    const lines = await errorLinesDuring(async () => {
      const res = await postWithKey(worker.mcpUrl, chatCall({ prompt: "plant: tool" }, { traceparent }), {
        accept: "application/json",
      });
      expect(res.status).toBe(500);
      expect((await res.json()).error).toMatchObject({ code: -32603 });
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ what: "tools/call", where: "dispatch", trace_id: TRACE_ID, error: "Error" });
    expect(JSON.stringify(lines[0])).not.toContain("planted in");
  });

  it("inside the relay of a streamed answer: one JSON line, and -32603 in the stream", async () => {
    const lines = await errorLinesDuring(async () => {
      const res = await postWithKey(worker.mcpUrl, chatCall({ prompt: "plant: relay" }, { progressToken: 1 }), {
        accept: "text/event-stream",
      });
      expect(res.status).toBe(200);
      expect(sseMessages(await res.text()).at(-1)).toMatchObject({ id: 1, error: { code: -32603 } });
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ what: "tools/call", where: "relay", error: "TypeError" });
    expect(JSON.stringify(lines[0])).not.toContain("planted in");
  });

  it("inside a durable call's run: one JSON line, and the task answers -32603", async () => {
    const lines = await errorLinesDuring(async () => {
      const created = await postWithKey(
        worker.mcpUrl,
        rpc(1, "tools/call", {
          name: "chat_completion",
          arguments: { prompt: "plant: run" },
          task: {},
          _meta: { traceparent },
        }),
        { accept: "application/json", protocolVersion: "2025-11-25" },
      );
      const { taskId } = (await created.json()).result.task;
      const result = await postWithKey(worker.mcpUrl, rpc(2, "tasks/result", { taskId }), {
        accept: "application/json",
        protocolVersion: "2025-11-25",
      });
      expect((await result.json()).error).toMatchObject({
        code: -32603,
        message: "The call failed inside the server. Start it again.",
      });
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      what: "chat_completion",
      where: "durable call",
      trace_id: TRACE_ID,
      error: "RangeError",
    });
    expect(JSON.stringify(lines[0])).not.toContain("planted in");
  });

  it("is logged without the key it was called with", () => {
    expect(worker.logs().join("\n")).not.toContain(VALID_KEY);
  });
});
