// What one /mcp request may ask: a batch holds a few dozen messages, its answers must fit a
// budget, and an id or a progress token is at most a few hundred characters. Beyond, the request
// is refused whole, with a small JSON-RPC error, before any of it is worked on (issue 16 §1).
// A body past 1 MiB is in limits.big-bodies.test.ts.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { chatCall, postWithKey as post, rpc, smallRpcError, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

const BATCH = "2025-03-26";
const listMembers = (count: number) => Array.from({ length: count }, (_, i) => rpc(i, "tools/list"));
const chat = (id: number, meta?: Record<string, unknown>) =>
  chatCall({ prompt: "x", model: "stand-in/tokens-3" }, meta, id);

describe("batches", () => {
  it("refuses 3,000 tools/list in 141 KB (once answered with 18.6 MB) with one small error", async () => {
    const body = JSON.stringify(listMembers(3_000));
    expect(body.length).toBeGreaterThan(140_000);
    const res = await post(worker.mcpUrl, body, { protocolVersion: BATCH });
    expect(res.status).toBe(400);
    const { id, error } = await smallRpcError(res, -32600);
    expect(id).toBeNull();
    expect(error.message).toBe(
      "Invalid Request: a batch may hold at most 32 messages, not 3000. Send the rest in further requests.",
    );
  });

  it("refuses a full 1 MiB batch of tools/list the same way", async () => {
    const member = JSON.stringify(rpc(1, "tools/list"));
    const count = Math.floor((1024 * 1024 - 2) / (member.length + 1));
    const res = await post(worker.mcpUrl, `[${Array(count).fill(member).join(",")}]`, { protocolVersion: BATCH });
    expect(res.status).toBe(400);
    expect((await smallRpcError(res, -32600)).error.message).toContain("at most 32 messages");
  });

  it("answers a batch of 32 pings", async () => {
    const res = await post(
      worker.mcpUrl,
      Array.from({ length: 32 }, (_, i) => rpc(i, "ping")),
      { protocolVersion: BATCH },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(32);
  });

  it("refuses 32 tools/list, whose answers would take some 200 KB, and answers a few", async () => {
    const refused = await post(worker.mcpUrl, listMembers(32), { protocolVersion: BATCH });
    expect(refused.status).toBe(400);
    expect((await smallRpcError(refused, -32600)).error.message).toMatch(
      /^Invalid Request: answering this batch would take about \d+ KB, more than the 128 KB one request may ask for/,
    );
    const answered = await post(worker.mcpUrl, listMembers(4), { protocolVersion: BATCH });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toHaveLength(4);
  });

  it("counts a tasks/list as the full page it may answer: 32 (once some 165 KB of answers) are refused, 3 answered", async () => {
    const lists = (count: number) => Array.from({ length: count }, (_, i) => rpc(i, "tasks/list"));
    const refused = await post(worker.mcpUrl, lists(32), { protocolVersion: BATCH });
    expect(refused.status).toBe(400);
    expect((await smallRpcError(refused, -32600)).error.message).toMatch(
      /^Invalid Request: answering this batch would take/,
    );
    const answered = await post(worker.mcpUrl, lists(3), { protocolVersion: BATCH, accept: "application/json" });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toHaveLength(3);
  });

  it("counts a list_models call as the full page it may answer: 32 are refused, 4 answered", async () => {
    const pages = (count: number) =>
      Array.from({ length: count }, (_, i) => rpc(i, "tools/call", { name: "list_models", arguments: { limit: 50 } }));
    const refused = await post(worker.mcpUrl, pages(32), { protocolVersion: BATCH, accept: "application/json" });
    expect(refused.status).toBe(400);
    await smallRpcError(refused, -32600);
    const answered = await post(worker.mcpUrl, pages(4), { protocolVersion: BATCH, accept: "application/json" });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toHaveLength(4);
  });

  it("refuses before any of the work: a batch over the limits sends nothing upstream", async () => {
    const before = standIn.chatRequests().length;
    const calls = Array.from({ length: 33 }, (_, i) => chat(i));
    const res = await post(worker.mcpUrl, calls, { protocolVersion: BATCH, accept: "application/json" });
    expect(res.status).toBe(400);
    await smallRpcError(res, -32600);
    expect(standIn.chatRequests().length).toBe(before);
  });
});

describe("stored results in a batch", () => {
  // A finished task's result (or a background completion's) may hold up to 1 MB of images, and
  // reading it again costs nothing: 31 tasks/result for one such task once answered 29.6 MB to a
  // request of 3 KB, all held in memory to be joined.
  it("are refused when asked for with anything else, and answered alone", async () => {
    const created = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/image-1-700", modalities: ["image", "text"] },
        task: {},
      }),
      { accept: "application/json", protocolVersion: "2025-11-25" },
    );
    const taskId: string = (await created.json()).result.task.taskId;
    const result = (id: number) => rpc(id, "tasks/result", { taskId });
    const alone = await post(worker.mcpUrl, result(2), { accept: "application/json", protocolVersion: "2025-11-25" });
    expect(JSON.stringify(await alone.json()).length).toBeGreaterThan(700_000);
    for (const batch of [Array.from({ length: 31 }, (_, i) => result(i)), [result(1), rpc(2, "ping")]]) {
      const refused = await post(worker.mcpUrl, batch, { protocolVersion: BATCH, accept: "application/json" });
      expect(refused.status).toBe(400);
      expect((await smallRpcError(refused, -32600)).error.message).toMatch(
        /^Invalid Request: answering this batch would take about \d+ KB/,
      );
    }
    const waits = [1, 2].map((i) =>
      rpc(i, "tools/call", { name: "get_completion", arguments: { id: taskId, wait: 0 } }),
    );
    const refusedWaits = await post(worker.mcpUrl, waits, { protocolVersion: BATCH, accept: "application/json" });
    expect(refusedWaits.status).toBe(400);
    await smallRpcError(refusedWaits, -32600);
  });
});

describe("ids and progress tokens", () => {
  it("refuses an id of 1 MB without echoing it", async () => {
    const res = await post(worker.mcpUrl, rpc("i".repeat(1_000_000), "ping"));
    expect(res.status).toBe(400);
    const { id, error } = await smallRpcError(res, -32600);
    expect(id).toBeNull();
    expect(error.message).toBe('Invalid Request: "id" must be at most 256 characters');
  });

  it("takes an id of 256 characters", async () => {
    const id = "i".repeat(256);
    const res = await post(worker.mcpUrl, rpc(id, "ping"));
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id, result: {} });
  });

  it("refuses a progress token of 1 MB (once copied into every progress notification) before calling upstream", async () => {
    const before = standIn.chatRequests().length;
    const res = await post(worker.mcpUrl, chat(5, { progressToken: "p".repeat(1_000_000) }));
    const { id, error } = await smallRpcError(res, -32602);
    expect(id).toBe(5);
    expect(error.message).toBe("Invalid params: _meta.progressToken must be at most 256 characters");
    expect(standIn.chatRequests().length).toBe(before);
  });

  it("echoes a progress token of 256 characters in its notifications", async () => {
    const token = "p".repeat(256);
    const res = await post(worker.mcpUrl, chat(6, { progressToken: token }));
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === "notifications/progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((m) => m.params.progressToken === token)).toBe(true);
    expect(messages.at(-1)).toMatchObject({ id: 6, result: { structuredContent: { text: "t0 t1 t2 " } } });
  });

  it("quotes an unknown method of 1 MB cut short", async () => {
    const res = await post(worker.mcpUrl, rpc(7, "m".repeat(1_000_000)));
    const { error } = await smallRpcError(res, -32601);
    expect(error.message).toBe(`Method not found: "${"m".repeat(100)}…"`);
  });
});
