// The chat_completion tool end to end: the real Worker in workerd, a stand-in OpenRouter on loopback.
// How a long answer travels (batches, keepalives, probes, hang-ups, cancellation) is in
// test/transport/streamable-http.streaming.test.ts, and who may call in test/transport/bearer.test.ts.
import { describe, expect, it } from "vitest";
import { UNREACHABLE_OPENROUTER, useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { chatCall as call, post, sseMessages, parseSse, tokensText } from "../support/http.js";
import { startWorker } from "../support/worker.js";

const { standIn, worker } = useWorkerWithStandIn();

describe("JSON mode (client accepts only JSON)", () => {
  it("answers one JSON response with the whole answer and structured content", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "hello there" }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const body = await res.json();
    expect(body.id).toBe(1);
    expect(body.result.isError).toBeUndefined();
    expect(body.result.content).toEqual([{ type: "text", text: "Echo: hello there" }]);
    expect(body.result.structuredContent).toMatchObject({
      text: "Echo: hello there",
      model: "anthropic/claude-haiku-4.5",
      finish_reason: "stop",
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    });
    expect(typeof body.result.structuredContent.usage.cost).toBe("number");
  });

  it("treats curl's default Accept (*/*) as JSON", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/tokens-5" }), {
      accept: "*/*",
      key: VALID_KEY,
    });
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect((await res.json()).result.structuredContent.text).toBe(tokensText(5));
  });

  it("sends no progress even when asked, since JSON carries one message", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/tokens-50" }, { progressToken: 1 }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    const body = await res.json();
    expect(body.result.structuredContent.text).toBe(tokensText(50));
  });
});

describe("SSE mode", () => {
  it("interleaves progress notifications with the final result", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/slow-20-15" }, { progressToken: 7 }), {
      key: VALID_KEY,
    });
    expect(res.headers.get("Content-Type")).toBe("text/event-stream");
    const text = await res.text();
    const { events } = parseSse(text);
    expect(events.every((e) => e.event === "message" && e.id === undefined)).toBe(true);
    const messages = sseMessages(text);
    const result = messages.at(-1)!;
    expect(result.id).toBe(1);
    expect(result.result.structuredContent.text).toBe(tokensText(20));
    const progress = messages.slice(0, -1);
    expect(progress.length).toBeGreaterThan(1);
    let previous = -1;
    for (const note of progress) {
      expect(note.method).toBe("notifications/progress");
      expect(note.params.progressToken).toBe(7); // a number stays a number
      expect(note.params.progress).toBeGreaterThan(previous);
      expect(note.params.message).toContain("stand-in/slow-20-15");
      expect(note.params.message).toContain(`${note.params.progress} token`);
      previous = note.params.progress;
    }
    // No total while streaming (no max_tokens); the last one ends full.
    for (const note of progress.slice(0, -1)) expect(note.params.total).toBeUndefined();
    expect(progress.at(-1)!.params).toMatchObject({ progress: 20, total: 20 });
  });

  it("echoes a string progress token and reports max_tokens as total", async () => {
    const res = await post(
      worker.mcpUrl,
      call({ prompt: "x", model: "stand-in/tokens-30", max_tokens: 10 }, { progressToken: "abc" }),
      { key: VALID_KEY },
    );
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === "notifications/progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.params).toMatchObject({ progressToken: "abc", total: 10 });
    expect(messages.at(-1)!.result.structuredContent).toMatchObject({ text: tokensText(10), finish_reason: "length" });
    expect(progress.at(-1)!.params).toMatchObject({ progress: 10, total: 10 });
  });

  it("sends no progress without a progress token", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/slow-5-20" }), { key: VALID_KEY });
    const messages = sseMessages(await res.text());
    expect(messages).toHaveLength(1);
    expect(messages[0]!.result.structuredContent.text).toBe(tokensText(5));
  });

  it("shows the latest text in the progress message", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/slow-3-30" }, { progressToken: 1 }), {
      key: VALID_KEY,
    });
    const progress = sseMessages(await res.text()).filter((m) => m.method === "notifications/progress");
    const last = progress.at(-1)!;
    expect(last.params.message).toContain(`t${last.params.progress - 1}`);
  });

  it("relays non-ASCII text split into tiny pieces intact", async () => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: "stand-in/split-40" }, { progressToken: 1 }), {
      key: VALID_KEY,
    });
    const result = sseMessages(await res.text()).at(-1)!;
    const expected = Array.from({ length: 40 }, (_, i) => `é${i}😀 `).join("");
    expect(result.result.structuredContent.text).toBe(expected);
  });

  it.each(["crlf-25", "garbage-25"])("copes with stand-in/%s", async (scenario) => {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model: `stand-in/${scenario}` }), { key: VALID_KEY });
    const result = sseMessages(await res.text()).at(-1)!;
    expect(result.result.isError).toBeUndefined();
    expect(result.result.structuredContent.text).toBe(tokensText(25));
  });
});

describe("progress that ends full (every client's bar reaches 100 %)", () => {
  async function progressOf(args: Record<string, unknown>) {
    const res = await post(worker.mcpUrl, call(args, { progressToken: "p" }), { key: VALID_KEY });
    const messages = sseMessages(await res.text());
    const result = messages.at(-1)!;
    expect(result.id).toBe(1);
    const progress = messages.slice(0, -1);
    expect(progress.every((m) => m.method === "notifications/progress")).toBe(true);
    const counts = progress.map((m) => m.params.progress as number);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]!);
    return { progress: progress.map((m) => m.params), result: result.result };
  }

  // Tokens slower than the 100 ms interval: each one may be sent at once, so the count at the
  // last token must not be the final count already (it could not be sent twice).
  it("ends with the final count as progress and total when tokens are slower than the interval", async () => {
    const { progress, result } = await progressOf({ prompt: "x", model: "stand-in/slow-6-150", max_tokens: 100 });
    expect(result.structuredContent.text).toBe(tokensText(6));
    expect(progress.length).toBeGreaterThan(2);
    for (const p of progress.slice(0, -1)) expect(p.total).toBe(100);
    expect(progress.at(-1)).toMatchObject({ progress: 6, total: 6 });
    expect(progress.at(-1)!.message).toContain("6 tokens");
  });

  it("ends with the final count when tokens come faster than the interval", async () => {
    const { progress, result } = await progressOf({ prompt: "x", model: "stand-in/slow-300-1", max_tokens: 1000 });
    expect(result.structuredContent.usage.completion_tokens).toBe(300);
    for (const p of progress.slice(0, -1)) expect(p.total).toBe(1000);
    expect(progress.at(-1)).toMatchObject({ progress: 300, total: 300 });
  });

  it("ends full for a one-token answer, and without total while streaming when max_tokens is absent", async () => {
    const { progress } = await progressOf({ prompt: "x", model: "stand-in/tokens-1" });
    expect(progress).toHaveLength(2);
    expect(progress[0]).not.toHaveProperty("total");
    expect(progress[1]).toMatchObject({ progress: 1, total: 1 });
  });

  it("ends full when the answer stops at max_tokens", async () => {
    const { progress, result } = await progressOf({ prompt: "x", model: "stand-in/slow-40-5", max_tokens: 25 });
    expect(result.structuredContent.finish_reason).toBe("length");
    expect(progress.at(-1)).toMatchObject({ progress: 25, total: 25 });
  });
});

describe("the upstream request", () => {
  it("carries the key, attribution headers, and the arguments", async () => {
    const before = standIn.chatRequests().length;
    await (
      await post(
        worker.mcpUrl,
        call({ prompt: "hi", system: "be brief", max_tokens: 20, temperature: 0.5, model: "stand-in/tokens-2" }),
        { key: VALID_KEY },
      )
    ).text();
    const sent = standIn.chatRequests()[before]!;
    expect(sent.headers.authorization).toBe(`Bearer ${VALID_KEY}`);
    expect(sent.headers["http-referer"]).toBe(worker.origin);
    expect(sent.headers["x-title"]).toBeTruthy();
    expect(sent.body).toMatchObject({
      model: "stand-in/tokens-2",
      stream: true,
      max_tokens: 20,
      temperature: 0.5,
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
    });
  });

  it("uses DEFAULT_MODEL when the call names none", async () => {
    const custom = await startWorker({ OPENROUTER_BASE_URL: standIn.apiBase, DEFAULT_MODEL: "stand-in/tokens-4" });
    try {
      const res = await post(custom.mcpUrl, call({ prompt: "x" }), { accept: "application/json", key: VALID_KEY });
      expect((await res.json()).result.structuredContent).toMatchObject({
        text: tokensText(4),
        model: "stand-in/tokens-4",
      });
    } finally {
      await custom.dispose();
    }
  });
});

describe("failures are tool results that say what to do", () => {
  async function failure(model: string) {
    const res = await post(worker.mcpUrl, call({ prompt: "x", model }), { key: VALID_KEY });
    expect(res.status).toBe(200);
    // A refusal known before streaming is answered as plain JSON; a failure mid-stream over SSE.
    const body = await res.text();
    const result = res.headers.get("Content-Type")!.startsWith("text/event-stream")
      ? sseMessages(body).at(-1)!.result
      : JSON.parse(body).result;
    expect(result.isError).toBe(true);
    const text = result.content.map((c: { text: string }) => c.text).join("\n");
    expect(text).not.toContain(VALID_KEY);
    return { result, text };
  }

  it.each([
    ["stand-in/error-402", /credits/i],
    ["stand-in/error-403", /moderation/i],
    ["stand-in/error-408", /timed out/i],
    ["stand-in/error-429", /Retry in 7 seconds/],
    ["stand-in/error-500", /Retry/],
    ["stand-in/error-502", /provider/i],
    ["stand-in/error-503", /Retry/],
    ["stand-in/error-400", /invalid/i],
  ])("%s", async (model, expected) => {
    const { text } = await failure(model);
    expect(text).toMatch(expected);
  });

  it("names an unknown model and the default", async () => {
    const { text } = await failure("anthropic/claude-3.5-sonnet");
    expect(text).toContain("anthropic/claude-3.5-sonnet");
    expect(text).toContain("anthropic/claude-haiku-4.5");
  });

  it("keeps the partial text of a mid-stream error", async () => {
    const { result, text } = await failure("stand-in/midstream-error-5");
    expect(result.content[0].text).toBe(tokensText(5));
    expect(result.structuredContent).toMatchObject({
      text: tokensText(5),
      finish_reason: "error",
      error: expect.stringMatching(/Provider disconnected/),
    });
    expect(text).toMatch(/Provider disconnected/);
  });

  it("keeps the partial text of a broken stream", async () => {
    const { result, text } = await failure("stand-in/broken-4");
    expect(result.content[0].text).toBe(tokensText(4));
    expect(text).toMatch(/broke|ended early/);
  });

  it("reports a network error", async () => {
    const offline = await startWorker(UNREACHABLE_OPENROUTER);
    try {
      const res = await post(offline.mcpUrl, call({ prompt: "x" }), { key: VALID_KEY, accept: "application/json" });
      const result = (await res.json()).result;
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toMatch(/Could not reach OpenRouter/);
    } finally {
      await offline.dispose();
    }
  });

  // The Worker gives up after 300 ms of silence: a test that waits much longer has found a
  // regression, and fails in seconds rather than at the 30 s default.
  describe("a stalled upstream", { timeout: 5_000 }, () => {
    const impatient = useWorker({ UPSTREAM_IDLE_TIMEOUT_MS: "300" }, { standIn });

    it("ends with the partial text when the upstream goes quiet", async () => {
      const res = await post(impatient.mcpUrl, call({ prompt: "x", model: "stand-in/hang-after-3" }), {
        key: VALID_KEY,
      });
      const result = sseMessages(await res.text()).at(-1)!.result;
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toBe(tokensText(3));
      expect(result.content[1].text).toMatch(/stopped sending/);
    });

    it("says so when the upstream sends headers and then nothing", async () => {
      const res = await post(impatient.mcpUrl, call({ prompt: "x", model: "stand-in/hang-before" }), {
        key: VALID_KEY,
      });
      const result = sseMessages(await res.text()).at(-1)!.result;
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toMatch(/sent nothing/);
    });

    it("says so when the upstream never answers the request at all, and drops that request", async () => {
      const before = standIn.chatRequests().length;
      const res = await post(impatient.mcpUrl, call({ prompt: "x", model: "stand-in/never-responds" }), {
        key: VALID_KEY,
        accept: "application/json",
      });
      const result = (await res.json()).result;
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toMatch(/did not answer/);
      await expect(standIn.chatRequests()[before]!.whenClosed).resolves.toBe("client-closed");
    });
  });
});

describe("conversations, thinking models and routing", () => {
  const lastBody = () => standIn.chatRequests().at(-1)!.body as Record<string, unknown>;

  it("sends a conversation's turns in order, unchanged, after the system message", async () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello! ✓" },
      { role: "user", content: "  and again  " },
    ];
    const res = await post(worker.mcpUrl, call({ messages, system: "First." }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    expect((await res.json()).result.structuredContent.text).toBe("Echo:   and again  ");
    expect(lastBody().messages).toEqual([{ role: "system", content: "First." }, ...messages]);
  });

  it("passes reasoning, provider preferences and fallback models through, and sends nothing it was not given", async () => {
    const provider = { sort: "throughput", order: ["groq", "together"], ignore: ["deepinfra"], allow_fallbacks: false };
    await post(
      worker.mcpUrl,
      call({
        prompt: "x",
        model: "openai/gpt-4o-mini",
        models: ["a/b", "c/d"],
        reasoning: { effort: "high" },
        provider,
      }),
      { accept: "application/json", key: VALID_KEY },
    );
    expect(lastBody()).toMatchObject({
      model: "openai/gpt-4o-mini",
      models: ["openai/gpt-4o-mini", "a/b", "c/d"],
      reasoning: { effort: "high" },
      provider,
    });
    await post(worker.mcpUrl, call({ prompt: "x", reasoning: { max_tokens: 2048 }, max_tokens: 4096 }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    expect(lastBody().reasoning).toEqual({ max_tokens: 2048 });
    expect(Object.keys(lastBody()).sort()).toEqual(["max_tokens", "messages", "model", "reasoning", "stream"]);
  });

  it("reports the fallback model and the provider that answered", async () => {
    const res = await post(
      worker.mcpUrl,
      call({
        prompt: "x",
        model: "anthropic/claude-3.5-sonnet",
        models: ["openai/gpt-4o-mini"],
        provider: { only: ["azure"] },
      }),
      { accept: "application/json", key: VALID_KEY },
    );
    const { structuredContent } = (await res.json()).result;
    expect(structuredContent).toMatchObject({ model: "openai/gpt-4o-mini", provider: "azure", text: "Echo: x" });
  });

  it("counts a thinking model's reasoning as progress, says so, then counts on through the answer", async () => {
    const res = await post(
      worker.mcpUrl,
      call({ prompt: "why not", model: "stand-in/thinking-20-15" }, { progressToken: 3 }),
      { key: VALID_KEY },
    );
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === "notifications/progress");
    const thinking = progress.filter((m) => m.params.message.includes("· thinking ·"));
    expect(thinking.length).toBeGreaterThan(0);
    expect(thinking[0]!.params.message).toMatch(/^stand-in\/thinking-20-15 · thinking · \d+ tokens? · .*r\d+$/);
    let previous = -1;
    for (const note of progress) {
      expect(note.params.progress).toBeGreaterThan(previous);
      previous = note.params.progress;
    }
    // Reasoning and answer tokens are one count, which ends full.
    expect(progress.at(-1)!.params).toMatchObject({ progress: 23, total: 23 });
    expect(progress.at(-1)!.params.message).toMatch(/^stand-in\/thinking-20-15 · 23 tokens · .*not$/);
    const { structuredContent, content } = messages.at(-1)!.result;
    expect(content).toEqual([{ type: "text", text: "Echo: why not" }]);
    expect(structuredContent.reasoning).toBeUndefined();
    expect(structuredContent.usage).toMatchObject({ completion_tokens: 23, reasoning_tokens: 20 });
  });

  it("adds the reasoning text to the structured result only when include_reasoning is set", async () => {
    const res = await post(
      worker.mcpUrl,
      call({ prompt: "x", model: "stand-in/thinking-5", include_reasoning: true }),
      { accept: "application/json", key: VALID_KEY },
    );
    const { structuredContent, content } = (await res.json()).result;
    expect(structuredContent.reasoning).toBe("r0 r1 r2 r3 r4 ");
    expect(structuredContent.text).toBe("Echo: x");
    expect(JSON.stringify(content)).not.toContain("r0");
  });
});

describe("invalid arguments are tool results naming the field", () => {
  it.each([
    [{}, /arguments need "prompt" or "messages"/],
    [{ prompt: "   " }, /"prompt" must not be blank/],
    [{ prompt: "" }, /"prompt" must not be empty/],
    [{ prompt: 5 }, /"prompt"/],
    [{ prompt: "x", temperature: 5 }, /"temperature" must be at most 2/],
    [{ prompt: "x", max_tokens: 0 }, /"max_tokens" must be above 0/],
    [{ prompt: "x", max_tokens: 1.5 }, /"max_tokens" must be an integer/],
    [{ prompt: "x", max_tokens: "5" }, /"max_tokens" must be an integer/],
    [{ prompt: "x", model: "no slash" }, /"model"/],
    [{ prompt: "x", max_token: 5 }, /unknown argument "max_token"/],
    // conversations
    [{ prompt: "x", messages: [{ role: "user", content: "y" }] }, /take "prompt" or "messages", not both/],
    [{ messages: [] }, /"messages" must not be empty/],
    [{ messages: "hi" }, /"messages"/],
    [{ messages: [{ role: "tool", content: "y" }] }, /"messages.0.role" must be one of system, user, assistant/],
    [{ messages: [{ role: "user", content: "" }] }, /"messages.0.content" must not be empty/],
    [{ messages: [{ role: "user" }] }, /"messages.0.content" is required/],
    [{ messages: [{ role: "user", content: "y", name: "z" }] }, /"messages.0" has no field "name"/],
    [
      { messages: Array.from({ length: 201 }, () => ({ role: "user", content: "y" })) },
      /"messages" must be at most 200 items/,
    ],
    [
      { messages: Array.from({ length: 6 }, () => ({ role: "user", content: "y".repeat(100_000) })) },
      /"messages" must hold at most 500000 characters of text in all/,
    ],
    // thinking
    [{ prompt: "x", reasoning: {} }, /"reasoning" needs effort, max_tokens or summary/],
    [
      { prompt: "x", reasoning: { effort: "high", max_tokens: 100 } },
      /"reasoning" takes effort or max_tokens, not both/,
    ],
    [{ prompt: "x", reasoning: { summary: "brief" } }, /"reasoning.summary" must be one of auto, concise, detailed/],
    [
      { prompt: "x", reasoning: { effort: "extreme" } },
      /"reasoning.effort" must be one of none, minimal, low, medium, high, xhigh, max/,
    ],
    [{ prompt: "x", reasoning: { max_tokens: 0 } }, /"reasoning.max_tokens"/],
    [
      { prompt: "x", reasoning: { max_tokens: 2000 }, max_tokens: 1000 },
      /"reasoning.max_tokens" must be below max_tokens/,
    ],
    [{ prompt: "x", reasoning: "high" }, /"reasoning"/],
    [{ prompt: "x", reasoning: { effort: "low", exclude: true } }, /"reasoning" has no field "exclude"/],
    [{ prompt: "x", include_reasoning: "yes" }, /"include_reasoning"/],
    // routing
    [{ prompt: "x", models: [] }, /"models" must not be empty/],
    [{ prompt: "x", models: ["a/b", "c/d", "e/f"] }, /"models" must be at most 2 items/],
    [{ prompt: "x", models: ["no slash"] }, /"models.0" must be an OpenRouter model id/],
    [{ prompt: "x", provider: { sort: "cheapest" } }, /"provider.sort" must be one of price, throughput, latency/],
    [{ prompt: "x", provider: { only: [] } }, /"provider.only" must not be empty/],
    [{ prompt: "x", provider: { ignore: ["has space"] } }, /"provider.ignore.0" must be a provider slug/],
    [{ prompt: "x", provider: { allow_fallbacks: "no" } }, /"provider.allow_fallbacks"/],
    [{ prompt: "x", provider: { data_collection: "never" } }, /"provider.data_collection" must be one of allow, deny/],
  ])("%j", async (args, expected) => {
    const sent = standIn.chatRequests().length;
    const res = await post(worker.mcpUrl, call(args), { key: VALID_KEY });
    const body = await res.json();
    expect(body.result.isError).toBe(true);
    expect(body.result.content[0].text).toMatch(expected);
    expect(standIn.chatRequests().length).toBe(sent); // refused before anything went upstream
  });
});
