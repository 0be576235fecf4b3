// chat_completion's answers beyond text (issue 19), end to end against the stand-in OpenRouter:
// images out, answers in a JSON shape, and the web with its sources; each argument's bad values
// refused before anything goes upstream.
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { chatCompletionCalls, type Block } from "../support/chat-completion-calls.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });
const { lastBody, complete, refused } = chatCompletionCalls(worker, standIn);

describe("images out", () => {
  it("returns generated images as image blocks after the text, with their count and sizes in structuredContent", async () => {
    const result = await complete({
      prompt: "Draw two",
      model: "stand-in/image-2",
      modalities: ["image", "text"],
      image_config: { aspect_ratio: "16:9" },
    });
    expect(lastBody()).toMatchObject({ modalities: ["image", "text"], image_config: { aspect_ratio: "16:9" } });
    expect(result.content.map((c) => c.type)).toEqual(["text", "image", "image"]);
    expect(result.content[0]!.text).toBe("Here is your image.");
    for (const image of result.content.slice(1)) {
      expect(image.mimeType).toBe("image/png");
      expect(Buffer.from(image.data!, "base64").subarray(0, 4).toString("latin1")).toBe("\x89PNG");
    }
    const sizes = result.content.slice(1).map((c) => Buffer.from(c.data!, "base64").length);
    expect(result.structuredContent.images).toEqual(sizes.map((bytes) => ({ mime_type: "image/png", bytes })));
    expect(JSON.stringify(result.structuredContent)).not.toContain(result.content[1]!.data!.slice(0, 40)); // never the data twice
  });

  it("says in progress that an image is being made, then that it came", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/image-1", modalities: ["image", "text"] },
        _meta: { progressToken: 1 },
      }),
      { key: VALID_KEY },
    );
    const messages = sseMessages(await res.text());
    const notes = messages.filter((m) => m.method === "notifications/progress").map((m) => m.params.message as string);
    expect(notes.some((n) => n.startsWith("stand-in/image-1 · making an image · "))).toBe(true);
    expect(notes.at(-1)).toMatch(/^stand-in\/image-1 · 1 image\(s\) received · 5 tokens · Here is your image\.$/);
    expect(messages.at(-1)!.result.content.map((c: Block) => c.type)).toEqual(["text", "image"]);
  });

  it("cuts a result that would pass 1 MB: the images that fit, then a note", async () => {
    const result = await complete({ prompt: "x", model: "stand-in/image-3-300", modalities: ["image", "text"] });
    expect(result.isError).toBeUndefined();
    expect(result.content.map((c) => c.type)).toEqual(["text", "image", "image", "text"]);
    expect(result.content.at(-1)!.text).toMatch(
      /^Left out 1 image\(s\), omitted in structuredContent.images: results stay under 1 MB/,
    );
    expect(result.structuredContent.images.map((i: { omitted?: boolean }) => i.omitted ?? false)).toEqual([
      false,
      false,
      true,
    ]);
    expect(JSON.stringify(result).length).toBeLessThan(1_000_000);
  });

  it("makes an image block only of an image type: a data: URL of another type is left out, with a note", async () => {
    const result = await complete({ prompt: "x", model: "stand-in/not-an-image", modalities: ["image", "text"] });
    expect(result.content.map((c) => c.type)).toEqual(["text", "image", "text"]);
    expect(result.content[1]!.mimeType).toBe("image/png");
    expect(result.content.at(-1)!.text).toBe(
      "Left out 1 image(s), omitted in structuredContent.images: 1 not of an image type.",
    );
    expect(result.structuredContent.images).toEqual([
      { mime_type: "", bytes: 0, omitted: true },
      { mime_type: "image/png", bytes: expect.any(Number) },
    ]);
    expect(JSON.stringify(result)).not.toContain("text/html");
  });

  it("answers text alone when the model was not asked to draw", async () => {
    const result = await complete({ prompt: "x", model: "stand-in/image-1" });
    expect(result.content).toEqual([{ type: "text", text: 'This model draws when modalities include "image".' }]);
    expect(result.structuredContent.images).toBeUndefined();
  });

  it.each([
    [{ prompt: "x", modalities: ["video"] }, /"modalities.0" must be one of text, image/],
    [{ prompt: "x", modalities: [] }, /"modalities" must not be empty/],
    [{ prompt: "x", modalities: ["image"], image_config: "16:9" }, /"image_config" must be of type object/],
  ])("refuses %j, naming the field", async (args, expected) => refused(args, expected));
});

describe("answers in a shape", () => {
  it("parses a JSON answer into structuredContent.json, sending response_format as given", async () => {
    const response_format = {
      type: "json_schema",
      json_schema: {
        name: "person",
        strict: true,
        schema: {
          type: "object",
          properties: { name: { type: "string" }, age: { type: "integer" } },
          required: ["name", "age"],
        },
      },
    };
    const result = await complete({ prompt: "Ada", response_format });
    expect(lastBody().response_format).toEqual(response_format);
    expect(result.structuredContent.json).toEqual({ name: "Ada", age: 42 });
    expect(JSON.parse(result.content[0]!.text!)).toEqual({ name: "Ada", age: 42 });
    expect((await complete({ prompt: "hi", response_format: { type: "json_object" } })).structuredContent.json).toEqual(
      { echo: "hi" },
    );
  });

  it("makes an answer that is not JSON a tool error that still carries the raw text", async () => {
    const result = await complete({
      prompt: "x",
      model: "stand-in/tokens-3",
      response_format: { type: "json_object" },
    });
    expect(result.isError).toBe(true);
    expect(result.content[0]).toEqual({ type: "text", text: "t0 t1 t2 " });
    expect(result.content[1]!.text).toMatch(/not the JSON response_format asks for/);
    expect(result.structuredContent).toMatchObject({ text: "t0 t1 t2 ", error: expect.stringMatching(/JSON/) });
    expect(result.structuredContent.json).toBeUndefined();
    const cut = await complete({
      prompt: "x",
      model: "stand-in/tokens-9",
      max_tokens: 2,
      response_format: { type: "json_object" },
    });
    expect(cut.content[1]!.text).toMatch(/max_tokens cut it/);
  });

  it.each([
    [{ prompt: "x", response_format: { type: "xml" } }, /"response_format" has the wrong shape/],
    [{ prompt: "x", response_format: { type: "json_schema" } }, /"response_format.json_schema" is required/],
    [
      { prompt: "x", response_format: { type: "json_schema", json_schema: { name: "a b", schema: {} } } },
      /"response_format.json_schema.name" must be 1 to 64/,
    ],
    [
      { prompt: "x", response_format: { type: "json_schema", json_schema: { name: "a", schema: {}, strict: "yes" } } },
      /"response_format.json_schema.strict" must be of type boolean/,
    ],
  ])("refuses %j, naming the field", async (args, expected) => refused(args, expected));
});

describe("the web, with sources", () => {
  it("asks for OpenRouter's web search tool and returns its citations as resource links, once each, with the searches paid for", async () => {
    const result = await complete({ prompt: "latest news", web_search: true });
    expect(lastBody().tools).toEqual([{ type: "openrouter:web_search" }]);
    const links = result.content.filter((c) => c.type === "resource_link");
    expect(links).toEqual([
      { type: "resource_link", uri: "https://example.com/result-1", name: "Result 1 for latest news" },
      { type: "resource_link", uri: "https://example.com/result-2", name: "Result 2 for latest news" },
    ]);
    expect(result.content[0]).toEqual({ type: "text", text: "Echo: latest news" });
    expect(result.structuredContent.citations).toEqual(links.map((l) => ({ url: l.uri, title: l.name })));
    expect(result.structuredContent.usage.web_search_requests).toBe(1);
  });

  it("passes its settings as the tool's parameters, and searches for a :online model id", async () => {
    const result = await complete({
      prompt: "x",
      web_search: { engine: "exa", max_results: 1, max_total_results: 10 },
    });
    expect(lastBody().tools).toEqual([
      { type: "openrouter:web_search", parameters: { engine: "exa", max_results: 1, max_total_results: 10 } },
    ]);
    expect(result.structuredContent.citations).toHaveLength(1);
    const online = await complete({ prompt: "x", model: "openai/gpt-4o-mini:online" });
    expect(lastBody().tools).toBeUndefined();
    expect(online.structuredContent.citations).toHaveLength(2);
    await complete({ prompt: "x", web_search: false });
    expect(lastBody().tools).toBeUndefined();
  });

  it.each([
    [{ prompt: "x", web_search: "yes" }, /"web_search" has the wrong shape/],
    [
      { prompt: "x", web_search: { engine: "google" } },
      /"web_search.engine" must be one of auto, native, exa, parallel, firecrawl, perplexity/,
    ],
    [{ prompt: "x", web_search: { max_results: 0 } }, /"web_search.max_results" must be above 0/],
    [{ prompt: "x", web_search: { max_results: 21 } }, /"web_search.max_results" must be at most 20/],
    [{ prompt: "x", web_search: { domains: ["a.com"] } }, /"web_search" has no field "domains"/],
  ])("refuses %j, naming the field", async (args, expected) => refused(args, expected));
});
