// chat_completion beyond text (issue 19), end to end: the real Worker in workerd, the stand-in
// OpenRouter on loopback. Images, files and audio in; price and privacy routing; what usage
// reports; and each argument's bad values, refused before anything goes upstream. What comes
// out beyond text (images, JSON, web sources) is in chat-completion.outputs.test.ts.
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { chatCompletionCalls, dataUrl } from "../support/chat-completion-calls.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });
const { lastBody, complete, refused } = chatCompletionCalls(worker, standIn);

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
