// What an agent gets through the official MCP SDK client when it asks chat_completion for more than
// text (issue 19): image blocks and citations that the SDK accepts against the listed output
// schema, in an ordinary call, in background mode (get_completion) and as an MCP task, where the
// result is kept in a Durable Object's storage.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

const { worker } = useWorkerWithStandIn();

async function connect(): Promise<Client> {
  const client = new Client({ name: "sdk-features", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(worker.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${VALID_KEY}` } },
    }),
  );
  await client.listTools(); // the SDK then checks every structuredContent against the listed output schema
  return client;
}

const drawAndCite = {
  prompt: "Draw the news",
  model: "stand-in/image-1",
  modalities: ["image", "text"],
  web_search: true,
};
const isPng = (data: string) => Buffer.from(data, "base64").subarray(1, 4).toString("latin1") === "PNG";

describe("an SDK client asking for images and sources", () => {
  it("gets an image block and citations, as resource links and in structuredContent", async () => {
    const client = await connect();
    try {
      const result = await client.callTool({ name: "chat_completion", arguments: drawAndCite });
      expect(result.isError).toBeFalsy();
      const content = result.content as { type: string; data?: string; mimeType?: string; uri?: string }[];
      expect(content.map((c) => c.type)).toEqual(["text", "image", "resource_link", "resource_link"]);
      expect(content[1]).toMatchObject({ mimeType: "image/png" });
      expect(isPng(content[1]!.data!)).toBe(true);
      expect(content.slice(2).map((c) => c.uri)).toEqual([
        "https://example.com/result-1",
        "https://example.com/result-2",
      ]);
      expect(result.structuredContent).toMatchObject({
        images: [{ mime_type: "image/png" }],
        citations: [{ url: "https://example.com/result-1" }, { url: "https://example.com/result-2" }],
        usage: { web_search_requests: 1 },
      });
    } finally {
      await client.close();
    }
  });

  it("gets the same through background mode, the images kept in the Durable Object until fetched", async () => {
    const client = await connect();
    try {
      // Two images of 300 KB: a result near the 1 MB cap, stored whole in one value.
      const started = await client.callTool({
        name: "chat_completion",
        arguments: { ...drawAndCite, model: "stand-in/image-3-300", background: true },
      });
      const { id } = (started.structuredContent as { completion: { id: string } }).completion;
      const done = await client.callTool({ name: "get_completion", arguments: { id, wait: 20 } });
      const content = done.content as { type: string; data?: string; text?: string }[];
      expect(content.map((c) => c.type)).toEqual(["text", "image", "image", "resource_link", "resource_link", "text"]);
      expect(content.filter((c) => c.type === "image").every((c) => isPng(c.data!))).toBe(true);
      expect(content.at(-1)!.text).toMatch(/^Left out 1 image\(s\)/);
      expect(done.structuredContent).toMatchObject({
        completion: { id, status: "completed" },
        images: [{}, {}, { omitted: true }],
      });
    } finally {
      await client.close();
    }
  });

  it("gets the same from an MCP task (2025-11-25)", async () => {
    const client = await connect();
    try {
      const created = await client.request(
        { method: "tools/call", params: { name: "chat_completion", arguments: drawAndCite, task: {} } },
        CreateTaskResultSchema,
      );
      const result = await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
      expect(result.content.map((c) => c.type)).toEqual(["text", "image", "resource_link", "resource_link"]);
      expect(result.structuredContent).toMatchObject({ images: [{ mime_type: "image/png" }], citations: [{}, {}] });
    } finally {
      await client.close();
    }
  });
});
