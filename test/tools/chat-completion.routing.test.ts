// chat_completion's conversations, thinking models and routing, end to end against a stand-in OpenRouter:
// what reaches the upstream request and what comes back in the result.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { chatCall as call, post, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

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
