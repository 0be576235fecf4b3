// OpenRouter's current surface through chat_completion and list_models (issue 27 §3), end to end
// against the stand-in: model ids as OpenRouter takes them, routing and caching options passed
// through, availability errors as advice, spoken answers as audio blocks, videos in, and the
// model list in OpenRouter's orders.
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

type Block = { type: string; text?: string; data?: string; mimeType?: string };
type Result = { content: Block[]; structuredContent: Record<string, any>; isError?: boolean };

const lastBody = () => standIn.chatRequests().at(-1)!.body as Record<string, any>;

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  const res = await post(worker.mcpUrl, rpc(1, "tools/call", { name, arguments: args }), {
    accept: "application/json",
    key: VALID_KEY,
  });
  expect(res.status).toBe(200);
  return (await res.json()).result;
}
const complete = (args: Record<string, unknown>) => call("chat_completion", args);

describe("model ids as OpenRouter takes them", () => {
  it.each(["@preset/x", "~openai/gpt-latest", "openai/gpt-5@preset/code-review", "openrouter/fusion"])(
    "passes %s upstream unchanged",
    async (model) => {
      const result = await complete({ prompt: "hi", model });
      expect(result.isError).toBeUndefined();
      expect(lastBody().model).toBe(model);
    },
  );

  it.each(["@preset", "@other/x", "openai/gpt-5@preset/", "~openai", "a/b c"])("refuses %j", async (model) => {
    const sent = standIn.chatRequests().length;
    const result = await complete({ prompt: "hi", model });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/"model" must be an OpenRouter model id like "vendor\/model"/);
    expect(standIn.chatRequests().length).toBe(sent);
  });
});

describe("routing and caching options, passed through", () => {
  it("sends session_id, service_tier, provider.sort and the performance preferences, and reasoning.summary as given", async () => {
    const provider = {
      sort: { by: "throughput", partition: "none" },
      preferred_max_latency: { p50: 1.5, p90: 4 },
      preferred_min_throughput: 50,
    };
    await complete({
      prompt: "hi",
      session_id: "conversation-42",
      service_tier: "flex",
      provider,
      reasoning: { effort: "low", summary: "concise" },
    });
    const body = lastBody();
    expect(body.session_id).toBe("conversation-42");
    expect(body.service_tier).toBe("flex");
    expect(body.provider).toEqual(provider);
    expect(body.reasoning).toEqual({ effort: "low", summary: "concise" });
    await complete({ prompt: "hi", provider: { sort: "latency" }, reasoning: { summary: "auto" } });
    expect(lastBody().provider).toEqual({ sort: "latency" });
    expect(lastBody().reasoning).toEqual({ summary: "auto" });
  });

  it.each([
    [{ session_id: "s".repeat(257) }, /"session_id" must be at most 256 characters/],
    [{ service_tier: "turbo" }, /"service_tier" must be one of auto, default, flex, priority, fast, scale/],
    [{ provider: { sort: { by: "fast" } } }, /"provider.sort/],
    [{ provider: { preferred_max_latency: {} } }, /needs at least one of p50, p75, p90, p99/],
    [{ provider: { preferred_min_throughput: -5 } }, /"provider.preferred_min_throughput/],
  ])("refuses %j", async (extra, expected) => {
    const result = await complete({ prompt: "hi", ...extra });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(expected);
  });
});

describe("availability errors", () => {
  it("turns capacity_exhausted into when to retry and which models to try, in words and in fields", async () => {
    const result = await complete({ prompt: "hi", model: "stand-in/at-capacity" });
    expect(result.isError).toBe(true);
    const text = result.content[0]!.text!;
    expect(text).toMatch(/^Every provider of "stand-in\/at-capacity" is at capacity\./);
    expect(text).toContain("Retry in 40 seconds.");
    expect(text).toContain("Or try one of these models instead: openai/gpt-4o-mini, anthropic/claude-haiku-4.5.");
    expect(result.structuredContent).toMatchObject({
      text: "",
      model: "stand-in/at-capacity",
      finish_reason: null,
      error: text,
      suggestions: { retry_after_seconds: 40, models: ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5"] },
      availability: { code: "capacity_exhausted", retryable: true },
    });
  });

  it("names a retired model's successor, and the routing constraint that left no provider", async () => {
    const retired = await complete({ prompt: "hi", model: "stand-in/retired" });
    expect(retired.content[0]!.text).toMatch(/has been retired\..* Use its successor: openai\/gpt-5-mini\./);
    expect(retired.structuredContent.suggestions).toEqual({ models: ["openai/gpt-5-mini"] });
    const priced = await complete({ prompt: "hi", model: "openai/gpt-4o", provider: { max_price: { prompt: 0.5 } } });
    expect(priced.content[0]!.text).toMatch(
      /The "max_price" routing constraint leaves no provider for "openai\/gpt-4o"/,
    );
    expect(priced.structuredContent.availability).toEqual({ code: "constraint_filtered", retryable: false });
  });

  it("still says how to add credits when the key has none", async () => {
    const result = await complete({ prompt: "hi", model: "stand-in/error-402" });
    expect(result.structuredContent.suggestions).toEqual({ add_credits_url: "https://openrouter.ai/settings/credits" });
  });
});

describe("a spoken answer", () => {
  it("comes back as an audio block of WAV, its transcript the text, with alloy and wav asked for by default", async () => {
    const result = await complete({
      prompt: "say hello",
      model: "openai/gpt-4o-audio-preview",
      modalities: ["text", "audio"],
    });
    expect(lastBody().audio).toEqual({ voice: "alloy", format: "wav" });
    expect(result.isError).toBeUndefined();
    const audio = result.content.find((b) => b.type === "audio")!;
    expect(audio.mimeType).toBe("audio/wav");
    const bytes = Buffer.from(audio.data!, "base64");
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
    expect(result.content[0]).toEqual({ type: "text", text: "Echo: say hello" });
    expect(result.structuredContent.audio).toEqual({
      mime_type: "audio/wav",
      bytes: bytes.length,
      transcript: "Echo: say hello",
    });
  });

  it("wraps raw pcm16 in a WAV header, and passes a voice on", async () => {
    const result = await complete({
      prompt: "a b c",
      modalities: ["text", "audio"],
      audio: { voice: "nova", format: "pcm16" },
    });
    expect(lastBody().audio).toEqual({ voice: "nova", format: "pcm16" });
    const bytes = Buffer.from(result.content.find((b) => b.type === "audio")!.data!, "base64");
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(bytes.readUInt32LE(24)).toBe(24_000);
    expect(bytes.length - 44).toBe(4 * 1440 * 2); // "Echo: a b c": four words, 1,440 samples each
  });

  it("refuses audio settings without audio in modalities, and says what the provider refused", async () => {
    const bare = await complete({ prompt: "x", audio: { voice: "alloy" } });
    expect(bare.content[0]!.text).toMatch(/"audio" goes with "modalities" that include "audio"/);
    const mp3 = await complete({ prompt: "x", modalities: ["text", "audio"], audio: { format: "mp3" } });
    expect(mp3.isError).toBe(true);
    expect(mp3.content[0]!.text).toContain("The stand-in speaks wav and pcm16 only, not mp3.");
  });
});

describe("videos in", () => {
  it("attaches videos to the prompt as video_url parts, by URL or data URL", async () => {
    const clip = `data:video/mp4;base64,${Buffer.alloc(600, 3).toString("base64")}`;
    const result = await complete({ prompt: "What happens?", videos: ["https://example.com/a.mp4", clip] });
    expect(lastBody().messages[0].content).toEqual([
      { type: "text", text: "What happens?" },
      { type: "video_url", video_url: { url: "https://example.com/a.mp4" } },
      { type: "video_url", video_url: { url: clip } },
    ]);
    expect(result.structuredContent.text).toBe(
      "Echo: What happens? [video https://example.com/a.mp4] [video video/mp4, 600 bytes]",
    );
  });
});

describe("list_models in OpenRouter's orders", () => {
  it("asks OpenRouter for the order, and keeps it", async () => {
    const cheapest = await call("list_models", { sort: "price", limit: 50 });
    expect(standIn.modelListRequests().at(-1)!.search).toBe("?sort=pricing-low-to-high");
    const prices = (
      cheapest.structuredContent.models as { prompt_price: number | null; completion_price: number | null }[]
    )
      .filter((m) => m.prompt_price !== null)
      .map((m) => m.prompt_price! + m.completion_price!);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const fastest = await call("list_models", { sort: "throughput", query: "openai", limit: 3 });
    expect(standIn.modelListRequests().at(-1)!.search).toBe("?sort=throughput-high-to-low");
    expect(fastest.structuredContent.models).toHaveLength(3);
  });

  it("finds the models that take video and those that speak", async () => {
    const video = await call("list_models", { input_modality: "video" });
    expect(video.structuredContent.models.map((m: { id: string }) => m.id)).toContain("google/gemini-2.5-pro");
    const speaking = await call("list_models", { output_modality: "audio" });
    expect(speaking.structuredContent.models.map((m: { id: string }) => m.id)).toEqual(["openai/gpt-4o-audio-preview"]);
  });
});
