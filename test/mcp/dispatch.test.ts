import { describe, expect, it } from "vitest";
import { postWithKey as post, rpc } from "../support/http.js";
import { UNREACHABLE_OPENROUTER, useWorker } from "../support/fixture.js";

const worker = useWorker(UNREACHABLE_OPENROUTER);

describe("initialize", () => {
  it("echoes a supported version and describes the server", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(1, "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(res.headers.get("Mcp-Session-Id")).toBeNull();
    const body = await res.json();
    expect(body).toMatchObject({
      jsonrpc: "2.0",
      id: 1,
      result: { protocolVersion: "2025-06-18", capabilities: { tools: {} } },
    });
    expect(body.result.serverInfo).toMatchObject({ name: "openrouter-mcp-worker", version: "0.1.0" });
    expect(typeof body.result.instructions).toBe("string");
  });

  it("offers the latest version when the client's is unknown", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(2, "initialize", {
        protocolVersion: "1999-01-01",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      }),
    );
    expect((await res.json()).result.protocolVersion).toBe("2025-11-25");
  });
});

describe("ping and tools/list", () => {
  it("answers ping with an empty object", async () => {
    const res = await post(worker.mcpUrl, rpc("p", "ping"), { protocolVersion: "2025-11-25" });
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id: "p", result: {} });
  });

  it("lists chat_completion, list_models and get_completion, each with schemas, a title and annotations", async () => {
    const res = await post(worker.mcpUrl, rpc(3, "tools/list"), { protocolVersion: "2025-11-25" });
    const { result } = await res.json();
    expect(result.tools.map((t: { name: string }) => t.name)).toEqual([
      "chat_completion",
      "list_models",
      "get_completion",
    ]);
    const [chat, list, get] = result.tools;
    expect(chat.description).toContain("anthropic/claude-haiku-4.5");
    expect(chat.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
    expect(chat.inputSchema.required).toBeUndefined(); // prompt or messages: the Worker checks which
    expect(Object.keys(chat.inputSchema.properties)).toEqual([
      "prompt",
      "images",
      "videos",
      "files",
      "messages",
      "model",
      "models",
      "parallel_models",
      "synthesize",
      "system",
      "max_tokens",
      "temperature",
      "reasoning",
      "include_reasoning",
      "verbosity",
      "response_format",
      "modalities",
      "audio",
      "image_config",
      "web_search",
      "pdf",
      "provider",
      "service_tier",
      "session_id",
      "background",
    ]);
    expect(chat.outputSchema.required).toEqual(expect.arrayContaining(["text", "model", "finish_reason", "usage"]));
    // Every call spends the person's credit: a host that runs read-only tools unasked must ask first.
    expect(chat.annotations).toEqual({
      title: chat.title,
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(Object.keys(list.inputSchema.properties)).toEqual([
      "query",
      "min_context_length",
      "max_price",
      "input_modality",
      "output_modality",
      "supported_parameters",
      "sort",
      "limit",
      "cursor",
    ]);
    expect(list.outputSchema.required).toEqual(["models", "total"]);
    expect(list.annotations).toEqual({
      title: list.title,
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(Object.keys(get.inputSchema.properties)).toEqual(["id", "wait", "cancel"]);
    expect(get.outputSchema).toEqual(chat.outputSchema); // get_completion answers what chat_completion would
    expect(get.annotations).toEqual({
      title: get.title,
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    for (const tool of result.tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.annotations.title).toBe(tool.title);
      expect(tool.outputSchema).toMatchObject({ type: "object" });
    }
  });
});
