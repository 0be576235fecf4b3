// The chat_completion tool end to end: the real Worker in workerd, a stand-in OpenRouter on loopback:
// the JSON and SSE answers, progress, and the upstream request. Failures are in
// chat-completion.failures.test.ts, conversations and routing in chat-completion.routing.test.ts; how a
// long answer travels (batches, keepalives, probes, hang-ups, cancellation) is in
// test/transport/streamable-http.streaming.test.ts, and who may call in test/transport/bearer.test.ts.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
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
