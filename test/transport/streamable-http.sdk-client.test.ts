// The official MCP SDK client drives the Worker as Claude, Cursor or VS Code would.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });
const openWorker = useWorker({ OPEN_DISCOVERY: "true" }, { standIn });

async function connect(key?: string, url = worker.mcpUrl): Promise<Client> {
  const client = new Client({ name: "sdk-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: key ? { headers: { Authorization: `Bearer ${key}` } } : {},
  });
  await client.connect(transport);
  return client;
}

describe("official SDK client", () => {
  it("initializes, lists the tool and calls it with progress", async () => {
    const client = await connect(VALID_KEY);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: "openrouter-mcp-worker" });
      expect(client.getServerCapabilities()?.tools).toBeDefined();
      await client.ping();
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["chat_completion", "list_models", "get_completion"]);

      const progress: Progress[] = [];
      const result = await client.callTool(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-30-10" } },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      const expected = Array.from({ length: 30 }, (_, i) => `t${i} `).join("");
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: "text", text: expected }]);
      expect(result.structuredContent).toMatchObject({ text: expected, finish_reason: "stop" });
      expect(progress.length).toBeGreaterThan(1);
      for (let i = 1; i < progress.length; i++)
        expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
      expect(progress[0]!.message).toContain("stand-in/slow-30-10");
      expect(progress.at(-1)).toMatchObject({ progress: 30, total: 30 }); // the bar ends full
    } finally {
      await client.close();
    }
  });

  it("follows a thinking model's progress and gets a result that fits the output schema", async () => {
    const client = await connect(VALID_KEY);
    try {
      await client.listTools(); // the SDK validates structuredContent against the listed outputSchema
      const progress: Progress[] = [];
      const result = await client.callTool(
        {
          name: "chat_completion",
          arguments: {
            messages: [{ role: "user", content: "Think first" }],
            model: "anthropic/claude-3.5-sonnet",
            models: ["stand-in/thinking-15-10"],
            reasoning: { effort: "low" },
            include_reasoning: true,
            provider: { order: ["deepinfra"], sort: "price" },
          },
        },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        model: "stand-in/thinking-15-10",
        provider: "deepinfra",
        text: "Echo: Think first",
        usage: { reasoning_tokens: 15 },
      });
      expect(progress.some((p) => p.message?.includes("thinking"))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("is refused with 401 when connecting without a key", async () => {
    await expect(connect()).rejects.toThrow(/401|Unauthorized/i);
  });

  it("with OPEN_DISCOVERY, connects and lists tools without a key, may list models, and is refused a chat with 401", async () => {
    const client = await connect(undefined, openWorker.mcpUrl);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["chat_completion", "list_models", "get_completion"]);
      // The SDK checks structuredContent against the tool's outputSchema.
      const listed = await client.callTool({ name: "list_models", arguments: { query: "claude", limit: 2 } });
      expect(listed.isError).toBeFalsy();
      expect((listed.structuredContent as { models: unknown[] }).models).toHaveLength(2);
      await expect(client.callTool({ name: "chat_completion", arguments: { prompt: "x" } })).rejects.toThrow(
        /401|Unauthorized/i,
      );
    } finally {
      await client.close();
    }
  });

  it("gets tool errors as results, not exceptions", async () => {
    const client = await connect(VALID_KEY);
    try {
      const result = await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/error-402" },
      });
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("keeps a long call alive with resetTimeoutOnProgress: progress resets the client's timer", async () => {
    const client = await connect(VALID_KEY);
    try {
      // 40 tokens 50 ms apart: about 2 s, four times the timeout, with progress all along.
      const result = await client.callTool(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-40-50" } },
        undefined,
        {
          timeout: 500,
          resetTimeoutOnProgress: true,
          onprogress: () => {},
        },
      );
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ finish_reason: "stop" });
    } finally {
      await client.close();
    }
  });

  it("stops the upstream when the client gives up on a call (its timeout sends notifications/cancelled)", async () => {
    const client = await connect(VALID_KEY);
    try {
      const before = standIn.chatRequests().length;
      // 400 tokens 50 ms apart would take 20 s; the client gives up after 300 ms.
      const call = client.callTool(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-400-50" } },
        undefined,
        { timeout: 300 },
      );
      await expect(call).rejects.toThrow(/timed out|timeout/i);
      const upstream = standIn.chatRequests()[before]!;
      expect(upstream).toBeDefined();
      const settled = await Promise.race([
        upstream.whenClosed,
        new Promise((resolve) => setTimeout(() => resolve("still running"), 5_000)),
      ]);
      expect(settled).toBe("client-closed");
    } finally {
      await client.close();
    }
  });
});
