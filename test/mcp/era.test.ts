// Dual-era serving: the modern revision (2026-07-28) beside the legacy ones, on one endpoint.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { postWithKey as post, rpc, sseMessages } from "../support/http.js";

const MODERN = "2026-07-28";
const meta = (version = MODERN) => ({
  "io.modelcontextprotocol/protocolVersion": version,
  "io.modelcontextprotocol/clientInfo": { name: "era-test", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
});

const { worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "5" });

/** A well-formed modern request: _meta in the body, mirrored headers. */
function modern(
  id: number,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  key?: string,
) {
  const name: Record<string, string> = typeof params.name === "string" ? { "Mcp-Name": params.name } : {};
  return post(worker.mcpUrl, rpc(id, method, { ...params, _meta: { ...meta(), ...(params._meta as object) } }), {
    protocolVersion: MODERN,
    headers: { "Mcp-Method": method, ...name, ...headers },
    key,
  });
}

describe("modern era: server/discover", () => {
  it("answers versions of both eras, capabilities and server info", async () => {
    const res = await modern(1, "server/discover");
    expect(res.status).toBe(200);
    const { result } = await res.json();
    expect(result.resultType).toBe("complete");
    expect(result.supportedVersions).toEqual(["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]);
    expect(result.capabilities.tools).toBeDefined();
    expect(result._meta["io.modelcontextprotocol/serverInfo"]).toMatchObject({
      name: "openrouter-mcp-worker",
      version: "0.1.0",
    });
    expect(typeof result.instructions).toBe("string");
    expect(result.ttlMs).toBeGreaterThanOrEqual(0);
    expect(result.cacheScope).toBe("public");
  });

  it("is not a legacy method", async () => {
    const res = await post(worker.mcpUrl, rpc(1, "server/discover"), { protocolVersion: "2025-11-25" });
    expect((await res.json()).error.code).toBe(-32601);
  });
});

describe("modern era: version and capabilities from _meta", () => {
  it("refuses an unsupported _meta version with 400 -32022 listing the supported ones", async () => {
    const res = await post(worker.mcpUrl, rpc(1, "tools/list", { _meta: meta("2099-01-01") }), {
      protocolVersion: "2099-01-01",
      headers: { "Mcp-Method": "tools/list" },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe(-32022);
    expect(body.error.data.supported).toContain("2026-07-28");
    expect(body.error.data.supported).toContain("2025-11-25");
  });

  it("refuses a header and _meta that disagree with -32020", async () => {
    const res = await post(worker.mcpUrl, rpc(1, "tools/list", { _meta: meta("2025-11-25") }), {
      protocolVersion: MODERN,
      headers: { "Mcp-Method": "tools/list" },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32020);
  });

  it("refuses a modern _meta without the version header", async () => {
    const res = await post(worker.mcpUrl, rpc(1, "tools/list", { _meta: meta() }), {
      headers: { "Mcp-Method": "tools/list" },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32020);
  });

  it.each([
    ["the protocol version", "io.modelcontextprotocol/protocolVersion"],
    ["the client capabilities", "io.modelcontextprotocol/clientCapabilities"],
  ])("requires %s in _meta (-32602)", async (_, key) => {
    const partial: Record<string, unknown> = meta();
    delete partial[key];
    const res = await post(worker.mcpUrl, rpc(3, "tools/list", { _meta: partial }), {
      protocolVersion: MODERN,
      headers: { "Mcp-Method": "tools/list" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: 3, error: { code: -32602 } });
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["a string", "all"],
    ["a number", 1],
  ])("refuses client capabilities that are %s, as missing ones (-32602)", async (_, capabilities) => {
    const res = await post(
      worker.mcpUrl,
      rpc(4, "tools/list", { _meta: { ...meta(), "io.modelcontextprotocol/clientCapabilities": capabilities } }),
      {
        protocolVersion: MODERN,
        headers: { "Mcp-Method": "tools/list" },
      },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      id: 4,
      error: { code: -32602, message: expect.stringContaining("clientCapabilities") },
    });
  });
});

describe("modern era: Mcp-Method and Mcp-Name headers", () => {
  it("requires Mcp-Method", async () => {
    const res = await post(worker.mcpUrl, rpc(1, "tools/list", { _meta: meta() }), { protocolVersion: MODERN });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32020);
  });

  it("refuses an Mcp-Method that differs from the body", async () => {
    const res = await modern(1, "tools/list", {}, { "Mcp-Method": "tools/call" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32020);
  });

  it("refuses an Mcp-Name that differs from the body", async () => {
    const res = await modern(
      1,
      "tools/call",
      { name: "chat_completion", arguments: { prompt: "x" } },
      { "Mcp-Name": "other_tool" },
      VALID_KEY,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32020);
  });

  it("requires Mcp-Name on tools/call", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "x" }, _meta: meta() }),
      {
        protocolVersion: MODERN,
        headers: { "Mcp-Method": "tools/call" },
        key: VALID_KEY,
      },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32020);
  });

  it("decodes a base64 Mcp-Name before comparing", async () => {
    const encoded = `=?base64?${Buffer.from("chat_completion").toString("base64")}?=`;
    const res = await modern(
      1,
      "tools/call",
      { name: "chat_completion", arguments: { prompt: "x" } },
      { "Mcp-Name": encoded, Accept: "application/json" },
      VALID_KEY,
    );
    expect(res.status).toBe(200);
    expect((await res.json()).result.structuredContent.text).toBe("Echo: x");
  });
});

describe("modern era: methods", () => {
  it.each(["ping", "logging/setLevel", "prompts/list"])("answers %s with HTTP 404 -32601", async (method) => {
    const res = await modern(1, method, method === "logging/setLevel" ? { level: "info" } : {});
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe(-32601);
  });

  it("marks tools/list cacheable", async () => {
    const { result } = await (await modern(1, "tools/list")).json();
    expect(result).toMatchObject({ resultType: "complete", cacheScope: "public" });
    expect(result.ttlMs).toBeGreaterThan(0);
    expect(result.tools[0].name).toBe("chat_completion");
  });

  it("accepts notifications with 202", async () => {
    const res = await post(
      worker.mcpUrl,
      { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, _meta: meta() } },
      {
        protocolVersion: MODERN,
        headers: { "Mcp-Method": "notifications/cancelled" },
      },
    );
    expect(res.status).toBe(202);
  });

  it("keeps initialize legacy even under a modern header", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(1, "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      }),
      { protocolVersion: MODERN },
    );
    expect((await res.json()).result.protocolVersion).toBe("2025-06-18");
  });

  it("rejects batches", async () => {
    const res = await post(worker.mcpUrl, [rpc(1, "tools/list", { _meta: meta() })], {
      protocolVersion: MODERN,
      headers: { "Mcp-Method": "tools/list" },
    });
    expect(res.status).toBe(400);
  });
});

describe("legacy era beside it", () => {
  it("still answers ping and carries no resultType", async () => {
    const res = await post(worker.mcpUrl, rpc(1, "ping"), { protocolVersion: "2025-11-25" });
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
  });
});

// One suite of tool behaviour, run in both eras.
const eras = {
  legacy: (args: Record<string, unknown>, options: { accept?: string; progressToken?: number; key?: string } = {}) =>
    post(
      worker.mcpUrl,
      rpc(9, "tools/call", {
        name: "chat_completion",
        arguments: args,
        ...(options.progressToken !== undefined ? { _meta: { progressToken: options.progressToken } } : {}),
      }),
      { protocolVersion: "2025-11-25", accept: options.accept, key: options.key ?? VALID_KEY },
    ),
  modern: (args: Record<string, unknown>, options: { accept?: string; progressToken?: number; key?: string } = {}) =>
    post(
      worker.mcpUrl,
      rpc(9, "tools/call", {
        name: "chat_completion",
        arguments: args,
        _meta: { ...meta(), ...(options.progressToken !== undefined ? { progressToken: options.progressToken } : {}) },
      }),
      {
        protocolVersion: MODERN,
        accept: options.accept,
        key: options.key ?? VALID_KEY,
        headers: { "Mcp-Method": "tools/call", "Mcp-Name": "chat_completion" },
      },
    ),
};

describe.each(Object.entries(eras))("tool behaviour (%s era)", (era, callTool) => {
  const tokens = (n: number) => Array.from({ length: n }, (_, i) => `t${i} `).join("");

  it("answers JSON to a JSON-only client", async () => {
    const { result } = await (
      await callTool({ prompt: "x", model: "stand-in/tokens-8" }, { accept: "application/json" })
    ).json();
    expect(result.structuredContent.text).toBe(tokens(8));
    expect(result.resultType).toBe(era === "modern" ? "complete" : undefined);
  });

  it("streams progress and then the result over SSE", async () => {
    const res = await callTool({ prompt: "x", model: "stand-in/slow-12-10" }, { progressToken: 4 });
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === "notifications/progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.params.progressToken === 4)).toBe(true);
    const last = messages.at(-1)!;
    expect(last.id).toBe(9);
    expect(last.result.structuredContent.text).toBe(tokens(12));
    expect(last.result.resultType).toBe(era === "modern" ? "complete" : undefined);
  });

  it("reports upstream failures as tool errors", async () => {
    const { result } = await (
      await callTool({ prompt: "x", model: "stand-in/error-402" }, { accept: "application/json" })
    ).json();
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/credits/);
  });

  it("names the bad field of invalid arguments", async () => {
    const { result } = await (await callTool({ prompt: "" }, { accept: "application/json" })).json();
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/"prompt"/);
  });

  it("asks for a key with 401", async () => {
    const res = await callTool({ prompt: "x" }, { key: "" });
    expect(res.status).toBe(401);
  });
});
