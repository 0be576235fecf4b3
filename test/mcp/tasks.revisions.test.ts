// MCP Tasks by protocol revision: only 2025-11-25 has the utility (2026-07-28 has its extension).
// A request that speaks an older revision, or none (2025-03-26 is then assumed), gets no task and
// no tasks/ method; under 2025-11-25, `task` is what the specification types it as, an object.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc, tokensText } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

async function answerOf(body: unknown, protocolVersion?: string): Promise<Record<string, any>> {
  const options = { key: "sk-or-v1-revisions-test", accept: "application/json" };
  const response = await post(worker.mcpUrl, body, protocolVersion ? { ...options, protocolVersion } : options);
  return (await response.json()) as Record<string, any>;
}

const call = (task: unknown) =>
  rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/tokens-2" }, task });

describe("tasks under 2025-11-25", () => {
  it('refuses a "task" that is not an object, starting nothing', async () => {
    const before = standIn.chatRequests().length;
    for (const task of [null, "yes", true, 1, [], { ttl: "soon" }]) {
      expect((await answerOf(call(task), "2025-11-25")).error).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/"task" must be an object/),
      });
    }
    expect(standIn.chatRequests().length).toBe(before);
    expect((await answerOf(call({ ttl: 60_000 }), "2025-11-25")).result.task).toMatchObject({ status: "working" });
  });
});

describe("a revision without tasks", () => {
  it.each([["2025-06-18"], ["2024-11-05"], [undefined]])(
    "%s: offers no tasks, answers no tasks/ method, and runs a call with a task field as a plain call",
    async (version) => {
      for (const method of ["tasks/list", "tasks/get", "tasks/result", "tasks/cancel"]) {
        expect((await answerOf(rpc(2, method, { taskId: "a".repeat(32) }), version)).error).toMatchObject({
          code: -32601,
          message: expect.stringMatching(/tasks came with protocol 2025-11-25/),
        });
      }
      const plain = await answerOf(call({}), version);
      expect(plain.result).toMatchObject({ content: [{ type: "text", text: tokensText(2) }] });
      const initialize = rpc(3, "initialize", {
        protocolVersion: version ?? "2025-03-26",
        capabilities: {},
        clientInfo: { name: "revisions-test", version: "1" },
      });
      expect((await answerOf(initialize)).result.capabilities).not.toHaveProperty("tasks");
    },
  );

  it("2025-11-25: offers tasks in initialize", async () => {
    const initialize = rpc(3, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "revisions-test", version: "1" },
    });
    expect((await answerOf(initialize)).result.capabilities.tasks).toMatchObject({ list: {}, cancel: {} });
  });
});
