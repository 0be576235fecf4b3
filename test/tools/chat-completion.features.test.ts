// chat_completion beyond text (issue 19), end to end: the real Worker in workerd, the stand-in
// OpenRouter on loopback. Images, files and audio in; images, citations and JSON out; web search;
// price and privacy routing; what usage reports; and each argument's bad values, refused before
// anything goes upstream.
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });

type Block = {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  title?: string;
};
type Result = { content: Block[]; structuredContent: Record<string, any>; isError?: boolean };

/** A base64 data URL of `bytes` bytes of a given type. */
const dataUrl = (type: string, bytes: number) => `data:${type};base64,${Buffer.alloc(bytes, 1).toString("base64")}`;
const lastBody = () => standIn.chatRequests().at(-1)!.body as Record<string, any>;

async function complete(args: Record<string, unknown>): Promise<Result> {
  const res = await post(worker.mcpUrl, rpc(1, "tools/call", { name: "chat_completion", arguments: args }), {
    accept: "application/json",
    key: VALID_KEY,
  });
  expect(res.status).toBe(200);
  return (await res.json()).result;
}

describe("images, files and audio in", () => {
  it("attaches images and files to the prompt, text first, as content parts", async () => {
    const image = dataUrl("image/png", 300);
    const pdf = dataUrl("application/pdf", 1234);
    const result = await complete({
      prompt: "What is in these?",
      images: ["https://example.com/cat.png", image],
      files: [{ filename: "report.pdf", file_data: pdf }],
    });
    expect(lastBody().messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          { type: "image_url", image_url: { url: image } },
          { type: "file", file: { filename: "report.pdf", file_data: pdf } },
        ],
      },
    ]);
    // The stand-in says what it received, never the bytes.
    expect(result.structuredContent.text).toBe(
      "Echo: What is in these? [image https://example.com/cat.png] [image image/png, 300 bytes] [file report.pdf, application/pdf, 1234 bytes]",
    );
  });

  it("sends a conversation's content parts unchanged, audio included, and the PDF engine as the file-parser plugin", async () => {
    const messages = [
      { role: "user", content: "Earlier turn" },
      { role: "assistant", content: "Noted." },
      {
        role: "user",
        content: [
          { type: "text", text: "Transcribe and compare" },
          { type: "input_audio", input_audio: { data: Buffer.alloc(90, 2).toString("base64"), format: "wav" } },
          { type: "image_url", image_url: { url: "https://example.com/chart.png", detail: "high" } },
          { type: "file", file: { filename: "scan.pdf", file_data: "https://example.com/scan.pdf" } },
        ],
      },
    ];
    const result = await complete({ messages, pdf: { engine: "mistral-ocr" } });
    expect(lastBody().messages).toEqual(messages);
    expect(lastBody().plugins).toEqual([{ id: "file-parser", pdf: { engine: "mistral-ocr" } }]);
    expect(result.structuredContent.text).toBe(
      "Echo: Transcribe and compare [audio wav, 90 bytes] [image https://example.com/chart.png] [file scan.pdf, https://example.com/scan.pdf, parsed by mistral-ocr]",
    );
  });

  it("takes a tools/call of several megabytes (a photo or two), which no other method may send", async () => {
    const photo = dataUrl("image/jpeg", 3_000_000); // 4 MB as base64
    const result = await complete({ prompt: "Describe", images: [photo, photo] });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent.text).toBe(
      "Echo: Describe [image image/jpeg, 3000000 bytes] [image image/jpeg, 3000000 bytes]",
    );
    const padding = "x".repeat(2 * 1024 * 1024);
    for (const body of [
      rpc(2, "ping", { padding }),
      rpc(3, "tools/list", { padding }),
      [rpc(4, "tools/call", { name: "chat_completion", arguments: { prompt: padding } })],
    ]) {
      const res = await post(worker.mcpUrl, body, { accept: "application/json", key: VALID_KEY });
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toMatch(/at most 1048576 bytes \(16777216 for a lone tools\/call\)/);
    }
  });

  it.each([
    [{ prompt: "x", images: ["http://example.com/cat.png"] }, /"images.0" must be an https URL or a base64 data URL/],
    [{ prompt: "x", images: ["data:image/png,aGk="] }, /"images.0" must be an https URL or a base64 data URL/],
    [{ prompt: "x", images: ["data:image/png;base64,not base64!"] }, /"images.0" must be/],
    [{ prompt: "x", images: [dataUrl("image/png", 6_300_000)] }, /"images.0" must be at most 8388608 characters/],
    [{ prompt: "x", images: [] }, /"images" must not be empty/],
    [{ prompt: "x", files: [{ file_data: "https://example.com/a.pdf" }] }, /"files.0.filename" is required/],
    [
      { prompt: "x", files: [{ filename: "a.pdf", file_data: "ftp://example.com/a.pdf" }] },
      /"files.0.file_data" must be an https URL or a base64 data URL/,
    ],
    [
      { prompt: "x", images: Array.from({ length: 20 }, () => "https://example.com/a.png") },
      /"images" with "videos" and "files" take at most 19 in all/,
    ],
    [
      { messages: [{ role: "user", content: "x" }], images: ["https://example.com/a.png"] },
      /"images" go with "prompt"/,
    ],
    [{ messages: [{ role: "user", content: [] }] }, /"messages.0.content" must not be empty/],
    [
      { messages: [{ role: "user", content: [{ type: "input_video", url: "x" }] }] },
      /"messages.0.content.0" has the wrong shape/,
    ],
    [
      {
        messages: [{ role: "user", content: [{ type: "video_url", video_url: { url: "http://example.com/a.mp4" } }] }],
      },
      /"messages.0.content.0.video_url.url" must be an https URL or a base64 data URL/,
    ],
    [{ messages: [{ role: "user", content: [{ type: "text" }] }] }, /"messages.0.content.0.text" is required/],
    [
      {
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "https://example.com/a.png", detail: "max" } }],
          },
        ],
      },
      /"messages.0.content.0.image_url.detail" must be one of auto, low, high/,
    ],
    [
      { messages: [{ role: "user", content: Array.from({ length: 21 }, () => ({ type: "text", text: "a" })) }] },
      /"messages.0.content" must be at most 20 items/,
    ],
    [
      {
        messages: [
          { role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "audio/wav" } }] },
        ],
      },
      /"messages.0.content.0.input_audio.format" must be a format like "wav"/,
    ],
    [
      {
        messages: [
          {
            role: "user",
            content: [{ type: "input_audio", input_audio: { data: "data:audio/wav;base64,AAAA", format: "wav" } }],
          },
        ],
      },
      /"messages.0.content.0.input_audio.data" must be base64/,
    ],
    [{ prompt: "x", pdf: { engine: "ocr" } }, /"pdf.engine" must be one of cloudflare-ai, mistral-ocr, native/],
  ])("refuses %j, naming the field", async (args, expected) => refused(args, expected));
});

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

describe("money, privacy and thinking", () => {
  it("passes the new provider preferences, every reasoning effort and verbosity through as given", async () => {
    const provider = {
      max_price: { prompt: 1, completion: 5 },
      zdr: true,
      data_collection: "deny",
      require_parameters: true,
      quantizations: ["fp8", "bf16"],
    };
    await complete({
      prompt: "x",
      model: "openai/gpt-4o-mini",
      provider,
      reasoning: { effort: "max" },
      verbosity: "low",
    });
    expect(lastBody()).toMatchObject({ provider, reasoning: { effort: "max" }, verbosity: "low" });
    for (const effort of ["none", "minimal", "low", "medium", "high", "xhigh", "max"]) {
      expect((await complete({ prompt: "x", reasoning: { effort } })).isError).toBeUndefined();
    }
  });

  it("answers OpenRouter's refusal when max_price is below every endpoint's price, pointing at the preferences", async () => {
    const result = await complete({
      prompt: "x",
      model: "anthropic/claude-opus-4.5",
      provider: { max_price: { prompt: 1 } },
    });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/provider/i);
  });

  it("reports cached prompt tokens and OpenRouter's cost details in usage", async () => {
    const first = await complete({ prompt: "the same long prompt", model: "openai/gpt-4o-mini" });
    const again = await complete({ prompt: "the same long prompt", model: "openai/gpt-4o-mini" });
    expect(first.structuredContent.usage).toMatchObject({ prompt_tokens: 4, cached_tokens: 0 });
    expect(again.structuredContent.usage).toMatchObject({ prompt_tokens: 4, cached_tokens: 4 });
    const { cost, cost_details } = again.structuredContent.usage;
    expect(cost_details).toEqual({
      upstream_inference_prompt_cost: expect.any(Number),
      upstream_inference_completions_cost: expect.any(Number),
    });
    expect(cost).toBeCloseTo(
      cost_details.upstream_inference_prompt_cost + cost_details.upstream_inference_completions_cost,
      12,
    );
  });

  it.each([
    [{ prompt: "x", verbosity: "terse" }, /"verbosity" must be one of low, medium, high, xhigh, max/],
    [{ prompt: "x", provider: { zdr: "yes" } }, /"provider.zdr" must be of type boolean/],
    [{ prompt: "x", provider: { quantizations: ["fp7"] } }, /"provider.quantizations.0" must be one of int4, int8/],
    [{ prompt: "x", provider: { require_parameters: 1 } }, /"provider.require_parameters" must be of type boolean/],
    [{ prompt: "x", provider: { max_price: { prompt: -1 } } }, /"provider.max_price.prompt" must be at least 0/],
    [{ prompt: "x", provider: { max_price: { tokens: 1 } } }, /"provider.max_price" has no field "tokens"/],
  ])("refuses %j, naming the field", async (args, expected) => refused(args, expected));
});

async function refused(args: Record<string, unknown>, expected: RegExp): Promise<void> {
  const sent = standIn.chatRequests().length;
  const result = await complete(args);
  expect(result.isError).toBe(true);
  expect(result.content[0]!.text).toMatch(expected);
  expect(standIn.chatRequests().length).toBe(sent); // refused before anything went upstream
}
