// The stand-in OpenRouter on its own (no Worker): the demo's answer reads like an answer, the cost
// is an exact decimal from the model's listed prices as OpenRouter's is, and every scenario the
// demo offers to try is answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS } from "../../stand-in/models.js";
import { SCENARIOS, startOpenRouterStandIn, VALID_KEY, type StandIn } from "../../stand-in/openrouter.js";

interface Completion {
  choices: { message: { content: string }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; cost: number };
}

describe("the stand-in OpenRouter", () => {
  let standIn: StandIn;
  beforeAll(async () => void (standIn = await startOpenRouterStandIn({ answerTokens: 1000 })));
  afterAll(async () => standIn.close());

  async function complete(model: string, prompt: string): Promise<{ status: number; body: Completion }> {
    const res = await fetch(`${standIn.apiBase}/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${VALID_KEY}` },
      body: JSON.stringify({ model, messages: [{ role: "user", content: prompt }], stream: false }),
    });
    return { status: res.status, body: (await res.json()) as Completion };
  }

  it("fails the lookup of a key that asks for it, as OpenRouter's may fail, while its chats work", async () => {
    const lookup = (key: string, signal?: AbortSignal) =>
      fetch(`${standIn.apiBase}/key`, { headers: { Authorization: `Bearer ${key}` }, signal });
    expect((await lookup("sk-or-v1-lookup-431-a")).status).toBe(431);
    expect((await lookup("sk-or-v1-lookup-503-b")).status).toBe(503);
    await expect(lookup("sk-or-v1-lookup-drop-c")).rejects.toThrow();
    const hanging = new AbortController();
    const hung = lookup("sk-or-v1-lookup-hang-d", hanging.signal);
    setTimeout(() => hanging.abort(), 200);
    await expect(hung).rejects.toThrow();
    expect((await lookup("sk-or-v1-lookup-known")).status).toBe(200);
    const chat = await fetch(`${standIn.apiBase}/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer sk-or-v1-lookup-503-b" },
      body: JSON.stringify({ model: "vendor/x", messages: [{ role: "user", content: "hi" }], stream: false }),
    });
    expect(chat.status).toBe(200);
  });

  it("answers an ordinary model name, under the demo, with the echo and then an answer that says each thing once", async () => {
    const { body } = await complete("openai/gpt-4o-mini", "hello demo");
    const text = body.choices[0]!.message.content;
    expect(text).toMatch(/^Echo: hello demo\n\nHello from the stand-in OpenRouter\./);
    expect(text.trimEnd()).toMatch(/\.$/);
    const sentences = text.split(/(?<=[.?!])\s+/);
    expect(sentences.filter((s, i) => sentences.indexOf(s) !== i)).toEqual([]);
    expect(body.choices[0]!.finish_reason).toBe("stop");
  });

  it("reports the cost as tokens times the model's listed prices, an exact decimal", async () => {
    for (const model of ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "vendor/unlisted"]) {
      const { body } = await complete(model, "one two three");
      const { prompt_tokens: prompt, completion_tokens: completion, cost } = body.usage;
      const pricing = MODELS.find((m) => m.id === model)?.pricing ?? { prompt: "0.000001", completion: "0.000002" };
      // Exact in decimal: the sum of integers in units of 10^-12 dollars.
      const picodollars =
        Math.round(prompt * Number(pricing.prompt) * 1e12) + Math.round(completion * Number(pricing.completion) * 1e12);
      expect(cost).toBe(picodollars / 1e12);
      expect(String(cost), "no binary floating-point tail").toMatch(/^\d(\.\d{1,12})?(e-\d+)?$/);
      expect(cost).toBeGreaterThan(0);
    }
  });

  it("answers every scenario the demo offers to try", async () => {
    for (const { example } of SCENARIOS.filter((s) => s.example !== undefined && !s.example.includes("hang"))) {
      const { status } = await complete(example!, "x");
      expect([200, 402, 404, 429], example).toContain(status);
    }
  });
});
