// The list_models tool end to end: the real Worker in workerd, the stand-in's model list on loopback.
import { describe, expect, it } from "vitest";
import { closestModelIds, compactRows } from "../../src/openrouter/models.js";
import { UNREACHABLE_OPENROUTER, useStandIn, useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { MODELS } from "../../stand-in/models.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { post, rpc } from "../support/http.js";

// OPEN_DISCOVERY: calls here carry no key, as a client that has not logged in yet.
const { worker } = useWorkerWithStandIn({ OPEN_DISCOVERY: "true" });

interface Row {
  id: string;
  name: string;
  context_length: number | null;
  prompt_price: number | null;
  completion_price: number | null;
}

async function listModels(args: Record<string, unknown>, url = worker.mcpUrl, key?: string) {
  const res = await post(url, rpc(1, "tools/call", { name: "list_models", arguments: args }), {
    accept: "application/json",
    key,
  });
  expect(res.status).toBe(200);
  const { result } = await res.json();
  return result as {
    content: { type: string; text: string }[];
    structuredContent: { models: Row[]; total: number; next_cursor?: string };
    isError?: boolean;
  };
}

const ids = (rows: Row[]) => rows.map((r) => r.id);

describe("list_models", () => {
  it("answers the first page of compact rows, with prices per million tokens, without a key", async () => {
    const { content, structuredContent, isError } = await listModels({});
    expect(isError).toBeUndefined();
    expect(structuredContent.total).toBe(MODELS.length);
    expect(structuredContent.models).toHaveLength(20);
    expect(structuredContent.next_cursor).toBe("20");
    expect(ids(structuredContent.models)).toEqual(MODELS.slice(0, 20).map((m) => m.id));
    const mini = (await listModels({ query: "gpt-4o-mini" })).structuredContent.models[0];
    expect(mini).toEqual({
      id: "openai/gpt-4o-mini",
      name: "OpenAI: GPT-4o-mini",
      context_length: 128_000,
      prompt_price: 0.15,
      completion_price: 0.6,
      input_modalities: ["text", "image", "file"],
      output_modalities: ["text"],
    });
    expect(JSON.parse(content[0]!.text)).toEqual(structuredContent); // the same JSON, for clients that read only text
    const auto = structuredContent.models.find((m) => m.id === "openrouter/auto");
    expect(auto).toMatchObject({ prompt_price: null, completion_price: null });
  });

  it("pages with the cursor through every model exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { structuredContent } = await listModels(cursor === undefined ? { limit: 7 } : { limit: 7, cursor });
      seen.push(...ids(structuredContent.models));
      cursor = structuredContent.next_cursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(MODELS.map((m) => m.id));
    const past = await listModels({ cursor: "999" });
    expect(past.structuredContent).toEqual({ models: [], total: MODELS.length });
  });

  it("finds words in the id or name first, then in the description", async () => {
    const claude = await listModels({ query: "Claude" });
    expect(ids(claude.structuredContent.models).every((id) => id.startsWith("anthropic/"))).toBe(true);
    const thinking = ids((await listModels({ query: "thinking", limit: 50 })).structuredContent.models);
    expect(thinking[0]).toBe("stand-in/thinking-40"); // its name says "thinking"
    expect(thinking).toContain("anthropic/claude-haiku-4.5"); // its description does
    expect((await listModels({ query: "no such model anywhere" })).structuredContent).toEqual({ models: [], total: 0 });
  });

  it("filters by context length, price and modality", async () => {
    const long = (await listModels({ min_context_length: 1_000_000, limit: 50 })).structuredContent.models;
    expect(long.length).toBeGreaterThan(0);
    expect(long.every((m) => (m.context_length ?? 0) >= 1_000_000)).toBe(true);
    const free = (await listModels({ max_price: 0, limit: 50 })).structuredContent.models;
    expect(ids(free)).toEqual(
      expect.arrayContaining(["deepseek/deepseek-r1:free", "meta-llama/llama-3.3-70b-instruct:free"]),
    );
    expect(ids(free)).not.toContain("openrouter/auto"); // a price that varies is not "at most"
    const cheap = (await listModels({ max_price: 1, query: "openai", limit: 50 })).structuredContent.models;
    expect(cheap.every((m) => m.prompt_price! <= 1 && m.completion_price! <= 1)).toBe(true);
    expect(
      ids((await listModels({ input_modality: "audio", output_modality: "audio" })).structuredContent.models),
    ).toEqual(["openai/gpt-4o-audio-preview"]);
    expect(ids((await listModels({ output_modality: "image" })).structuredContent.models)).toEqual([
      "stand-in/image-1",
      "google/gemini-2.5-flash-image",
    ]);
  });

  it("filters by the parameters a model takes, and shows each model's input and output modalities", async () => {
    const structured = (await listModels({ supported_parameters: ["structured_outputs"], limit: 50 })).structuredContent
      .models;
    const expected = MODELS.filter((m) => m.supported_parameters.includes("structured_outputs")).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(3);
    expect(ids(structured)).toEqual(expected);
    const both = await listModels({ supported_parameters: ["structured_outputs", "web_search_options"] });
    expect(ids(both.structuredContent.models)).toEqual(["openai/gpt-5"]);
    const drawing = (await listModels({ output_modality: "image" })).structuredContent.models as unknown as Record<
      string,
      unknown
    >[];
    expect(drawing.map((m) => [m.input_modalities, m.output_modalities])).toEqual([
      [
        ["text", "image"],
        ["image", "text"],
      ],
      [
        ["text", "image"],
        ["image", "text"],
      ],
    ]);
  });

  it.each([
    [{ supported_parameters: ["Tools!"] }, /"supported_parameters.0" must be a parameter name like "tools"/],
    [{ supported_parameters: [] }, /"supported_parameters" must not be empty/],
    [{ query: "x".repeat(201) }, /"query" must be at most 200 characters/],
    [{ query: 5 }, /"query"/],
    [{ min_context_length: 0 }, /"min_context_length"/],
    [{ min_context_length: 1.5 }, /"min_context_length"/],
    [{ max_price: -1 }, /"max_price"/],
    [{ max_price: "cheap" }, /"max_price"/],
    [{ input_modality: "smell" }, /"input_modality" must be one of text, image, file, audio, video/],
    [{ output_modality: "video" }, /"output_modality" must be one of text, image, audio, embeddings/],
    [{ limit: 0 }, /"limit" must be above 0/],
    [{ limit: 51 }, /"limit" must be at most 50/],
    [{ cursor: "abc" }, /"cursor" must be the next_cursor of an earlier list_models result/],
    [{ cursor: 20 }, /"cursor"/],
    [{ page: 2 }, /unknown argument "page"/],
  ])("refuses %j with a tool error naming the field", async (args, expected) => {
    const { content, isError } = await listModels(args);
    expect(isError).toBe(true);
    expect(content[0]!.text).toMatch(expected);
  });
});

describe("the model list cache (and the default Worker, which wants a key on every request)", () => {
  // A stand-in and Worker of their own: nothing else has asked for the list yet.
  const own = useStandIn();
  const fresh = useWorker({}, { standIn: own });

  it("costs one upstream fetch for a burst of calls, concurrent and one after another", async () => {
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => listModels({ limit: 1 + i }, fresh.mcpUrl, VALID_KEY)),
    );
    for (const page of burst) expect(page.structuredContent.total).toBe(MODELS.length);
    for (let i = 0; i < 5; i++) await listModels({ query: "claude" }, fresh.mcpUrl, VALID_KEY);
    // An unknown model's suggestions read the same list.
    const res = await post(
      fresh.mcpUrl,
      rpc(2, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "anthropic/claude-3.5-sonnet" },
      }),
      { accept: "application/json", key: VALID_KEY },
    );
    expect((await res.json()).result.isError).toBe(true);
    expect(own.modelListRequests()).toHaveLength(1);
    // Waiting on the fetch another request started is safe while that request waits for it too.
    expect(fresh.logs().join("\n")).not.toMatch(/request context|hang/i);
  });
});

describe("without OpenRouter", () => {
  const orphan = useWorker(UNREACHABLE_OPENROUTER);

  it("list_models answers a tool error", async () => {
    const { content, isError } = await listModels({}, orphan.mcpUrl, VALID_KEY);
    expect(isError).toBe(true);
    expect(content[0]!.text).toMatch(/Could not fetch OpenRouter's model list/);
  });
});

describe("chat_completion's unknown model", () => {
  it("suggests the closest listed ids", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "anthropic/claude-3.5-sonnet" },
      }),
      { accept: "application/json", key: VALID_KEY },
    );
    const text: string = (await res.json()).result.content[0].text;
    expect(text).toMatch(/not on OpenRouter's model list/);
    expect(text).toMatch(/Closest ids: anthropic\/claude-3\.7-sonnet/);
    expect(text).toContain("list_models");
  });
});

describe("closestModelIds", () => {
  const rows = compactRows(JSON.stringify({ data: MODELS }))!;
  it.each([
    ["openai/gpt4o-mini", "openai/gpt-4o-mini"],
    ["gpt-4o-mini", "openai/gpt-4o-mini"],
    ["anthropic/claude-sonet-4.5", "anthropic/claude-sonnet-4.5"],
    ["google/gemini-2.5-pro-preview", "google/gemini-2.5-pro"],
    ["deepseek/r1", "deepseek/deepseek-r1"],
  ])("%s → %s first", (wanted, best) => {
    expect(closestModelIds(rows, wanted)[0]).toBe(best);
  });

  it("suggests nothing for a name like no listed one", () => {
    expect(closestModelIds(rows, "zz/qqq")).toEqual([]);
  });
});
