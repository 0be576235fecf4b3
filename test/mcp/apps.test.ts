// MCP Apps on the server (src/mcp/apps.ts, resources.ts): the extension declared in both eras,
// the view named on chat_completion and get_completion (always in 2025-11-25, which keeps no
// session; in 2026-07-28 only for a request that declares the extension), the view served as
// text/html;profile=mcp-app, results unchanged, and a background call's images kept whole.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { postWithKey as post, rpc, sseMessages } from "../support/http.js";

const VIEW = "ui://openrouter-mcp/completion";
const MIME = "text/html;profile=mcp-app";
const MODERN = "2026-07-28";
const APPS = { "io.modelcontextprotocol/ui": { mimeTypes: [MIME] } };

const { worker } = useWorkerWithStandIn();

async function answer(res: Response): Promise<any> {
  const text = await res.text();
  return (res.headers.get("Content-Type") ?? "").startsWith("text/event-stream")
    ? sseMessages(text).at(-1)
    : JSON.parse(text);
}

const legacy = async (method: string, params: Record<string, unknown> = {}, key?: string) =>
  answer(await post(worker.mcpUrl, rpc(1, method, params), { key }));

const modern = async (method: string, params: Record<string, unknown> = {}, capabilities: object = {}) => {
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientInfo": { name: "apps-test", version: "1" },
    "io.modelcontextprotocol/clientCapabilities": capabilities,
  };
  const name: Record<string, string> = typeof params.name === "string" ? { "Mcp-Name": params.name } : {};
  return answer(
    await post(worker.mcpUrl, rpc(1, method, { ...params, _meta }), {
      protocolVersion: MODERN,
      headers: { "Mcp-Method": method, ...name },
    }),
  );
};

const viewsOf = (tools: any[]) => Object.fromEntries(tools.map((t) => [t.name, t._meta?.ui?.resourceUri]));

describe("MCP Apps", () => {
  it("declares the extension and resources in initialize and server/discover", async () => {
    const init = await legacy("initialize", { protocolVersion: "2025-11-25", capabilities: { extensions: APPS } });
    expect(init.result.capabilities).toMatchObject({ resources: {}, extensions: APPS });
    const discover = await modern("server/discover");
    expect(discover.result.capabilities).toMatchObject({ resources: {}, extensions: APPS });
  });

  it("names the view on chat_completion and get_completion: always in 2025-11-25, in 2026-07-28 when declared", async () => {
    const expected = { chat_completion: VIEW, list_models: undefined, get_completion: VIEW };
    expect(viewsOf((await legacy("tools/list")).result.tools)).toEqual(expected);
    expect(viewsOf((await modern("tools/list", {}, { extensions: APPS })).result.tools)).toEqual(expected);
    const without = (await modern("tools/list")).result.tools;
    expect(without.every((tool: any) => tool._meta === undefined)).toBe(true);
    const otherType = await modern(
      "tools/list",
      {},
      { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/x"] } } },
    );
    expect(otherType.result.tools.every((tool: any) => tool._meta === undefined)).toBe(true);
  });

  it("lists and serves the view as text/html;profile=mcp-app in both eras", async () => {
    for (const list of [await legacy("resources/list"), await modern("resources/list")]) {
      expect(list.result.resources).toEqual([expect.objectContaining({ uri: VIEW, mimeType: MIME })]);
    }
    for (const read of [await legacy("resources/read", { uri: VIEW }), await modern("resources/read", { uri: VIEW })]) {
      const [content] = read.result.contents;
      expect(content).toMatchObject({ uri: VIEW, mimeType: MIME, _meta: { ui: { csp: {} } } });
      expect(content.text).toMatch(/^<!doctype html>/);
      // One self-contained file: its script inline, nothing loaded from anywhere.
      expect(content.text).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*\shref=/);
    }
    const missing = await legacy("resources/read", { uri: "ui://openrouter-mcp/other" });
    expect(missing.error.code).toBe(-32002);
  });

  it("gives 2026-07-28's caching hints: the list and the view public, as everyone gets the same", async () => {
    for (const result of [
      (await modern("resources/list")).result,
      (await modern("resources/read", { uri: VIEW })).result,
    ]) {
      expect(result).toMatchObject({ resultType: "complete", cacheScope: "public" });
      expect(result.ttlMs).toBeGreaterThan(0);
    }
    // 2025-11-25 has no such fields.
    for (const result of [
      (await legacy("resources/list")).result,
      (await legacy("resources/read", { uri: VIEW })).result,
    ]) {
      expect(result).not.toHaveProperty("ttlMs");
      expect(result).not.toHaveProperty("cacheScope");
    }
  });

  it("answers a tool call alike whether or not the client declared the extension", async () => {
    const args = { prompt: "Same for everyone", web_search: true };
    const plain = await modern("tools/call", { name: "chat_completion", arguments: args });
    const apps = await modern("tools/call", { name: "chat_completion", arguments: args }, { extensions: APPS });
    expect(apps.result.content).toEqual(plain.result.content);
    // The stand-in counts a prompt it saw before as cached: the only field that may differ.
    const sameCache = (structured: any) => ({ ...structured, usage: { ...structured.usage, cached_tokens: 0 } });
    expect(sameCache(apps.result.structuredContent)).toEqual(sameCache(plain.result.structuredContent));
    expect(Object.keys(apps.result).sort()).toEqual(Object.keys(plain.result).sort());
  });

  it("keeps a background call's 3 MB image whole, for its key only", async () => {
    const started = await legacy("tools/call", {
      name: "chat_completion",
      arguments: { prompt: "Draw", model: "stand-in/image-1-3000", modalities: ["image", "text"], background: true },
    });
    const id = started.result.structuredContent.completion.id;
    const done = await legacy("tools/call", { name: "get_completion", arguments: { id, wait: 30 } });
    // The text result keeps its 1 MB cap: the image is left out of it.
    expect(done.result.structuredContent.images).toEqual([expect.objectContaining({ omitted: true })]);
    const uri = `openrouter-mcp://completions/${id}/images/0`;
    const read = await legacy("resources/read", { uri });
    const [image] = read.result.contents;
    expect(image).toMatchObject({ uri, mimeType: "image/png" });
    const bytes = Buffer.from(image.blob, "base64");
    expect(bytes.length).toBe(done.result.structuredContent.images[0].bytes);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    // In 2026-07-28: private to its key, never for a shared cache; fresh for as long as the call is kept at most.
    const modernRead = (await modern("resources/read", { uri })).result;
    expect(modernRead.contents[0].blob).toBe(image.blob);
    expect(modernRead.cacheScope).toBe("private");
    expect(modernRead.ttlMs).toBeGreaterThan(0);
    expect(modernRead.ttlMs).toBeLessThanOrEqual(3_600_000); // TASK_RETENTION_SECONDS, an hour by default
    expect(read.result).not.toHaveProperty("cacheScope");
    const otherKey = await legacy("resources/read", { uri }, `${VALID_KEY}-other`);
    expect(otherKey.error.code).toBe(-32002);
    expect((await legacy("resources/read", { uri: `openrouter-mcp://completions/${id}/images/1` })).error.code).toBe(
      -32002,
    );
  });

  it("keeps only images of an image type: a data: URL of another type is never served as a resource", async () => {
    const started = await legacy("tools/call", {
      name: "chat_completion",
      arguments: { prompt: "Draw", model: "stand-in/not-an-image", modalities: ["image", "text"], background: true },
    });
    const id = started.result.structuredContent.completion.id;
    await legacy("tools/call", { name: "get_completion", arguments: { id, wait: 30 } });
    const notKept = await legacy("resources/read", { uri: `openrouter-mcp://completions/${id}/images/0` });
    expect(notKept.error.code).toBe(-32002);
    const kept = await legacy("resources/read", { uri: `openrouter-mcp://completions/${id}/images/1` });
    expect(kept.result.contents[0].mimeType).toBe("image/png");
  });
});
