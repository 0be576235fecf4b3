// Several models at once (issue 27 §1), end to end against the stand-in: parallel_models asks 2
// to 5 models the same thing, each answer under its model's id with its cost and failure kept
// apart, progress saying each model's state in one line, a synthesis streamed after them, one
// cancel stopping every upstream stream, and the whole set as one background call.
import { CallToolResultSchema, CreateTaskResultSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { connectSdkClient } from "../support/sdk-client.js";
import { chatCall, post, rpc, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });

const THREE = ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash"];
type Result = { content: { type: string; text: string }[]; structuredContent: Record<string, any>; isError?: boolean };

async function complete(args: Record<string, unknown>): Promise<Result> {
  const res = await post(worker.mcpUrl, chatCall(args), { accept: "application/json", key: VALID_KEY });
  expect(res.status).toBe(200);
  return (await res.json()).result;
}

async function streamed(args: Record<string, unknown>): Promise<{ result: Result; messages: string[] }> {
  const res = await post(worker.mcpUrl, chatCall(args, { progressToken: "p" }), { key: VALID_KEY });
  const all = sseMessages(await res.text());
  const progress = all.filter((m) => m.method === "notifications/progress").map((m) => m.params);
  const counts = progress.map((p) => p.progress as number);
  expect(
    counts.every((c, i) => i === 0 || c > counts[i - 1]!),
    "progress strictly increases",
  ).toBe(true);
  return { result: all.at(-1)!.result, messages: progress.map((p) => p.message as string) };
}

describe("parallel_models", { timeout: 30_000 }, () => {
  it("asks every model the same thing at once and answers each under its id, with its cost and the total", async () => {
    const before = standIn.chatRequests().length;
    const { result, messages } = await streamed({ prompt: "Compare", parallel_models: THREE, temperature: 0.5 });
    const sent = standIn.chatRequests().slice(before);
    expect(sent.map((r) => (r.body as { model: string }).model).sort()).toEqual([...THREE].sort());
    for (const request of sent) expect(request.body).toMatchObject({ temperature: 0.5, stream: true });
    expect(result.isError).toBeUndefined();
    const { answers, usage } = result.structuredContent;
    expect(Object.keys(answers)).toEqual(THREE);
    for (const model of THREE) {
      expect(answers[model]).toMatchObject({ text: "Echo: Compare", model, finish_reason: "stop" });
      expect(answers[model].usage.cost).toBeGreaterThan(0);
    }
    const costs = THREE.map((m) => answers[m].usage.cost as number);
    expect(usage.cost).toBeCloseTo(
      costs.reduce((a, b) => a + b),
      12,
    );
    expect(usage.completion_tokens).toBe(THREE.length * 2);
    expect(result.structuredContent).toMatchObject({ model: THREE.join(", "), finish_reason: null });
    expect(result.content.map((b) => b.text.split("\n")[0])).toEqual([
      ...THREE.map((m) => `## ${m} · $${answers[m].usage.cost} · 2 tokens`),
      `3 of 3 models answered. Total cost: $${usage.cost} for 3 calls.`,
    ]);
    expect(messages.at(-1)).toBe("gpt-4o-mini: done · claude-haiku-4.5: done · gemini-2.5-flash: done");
  });

  it("says each model's state in one progress line while they stream", async () => {
    const models = ["stand-in/slow-12-40", "stand-in/thinking-30-20", "stand-in/silent-1"];
    const { result, messages } = await streamed({ prompt: "x", parallel_models: models });
    expect(result.isError).toBeUndefined();
    expect(messages.some((m) => /^slow-12-40: writing \d+ · thinking-30-20: thinking \d+ · silent-1: /.test(m))).toBe(
      true,
    );
    expect(messages.some((m) => m.includes("silent-1: thinking (hidden)"))).toBe(true);
  });

  it("keeps the other answers whole when one model fails, before or during its answer", async () => {
    const models = ["openai/gpt-4o-mini", "stand-in/error-402", "stand-in/midstream-error-3"];
    const result = await complete({ prompt: "hi", parallel_models: models });
    expect(result.isError).toBeUndefined();
    const { answers } = result.structuredContent;
    expect(answers["openai/gpt-4o-mini"]).toMatchObject({ text: "Echo: hi", finish_reason: "stop" });
    expect(answers["openai/gpt-4o-mini"].error).toBeUndefined();
    expect(answers["stand-in/error-402"]).toMatchObject({ text: "", error: expect.stringMatching(/^Out of credits/) });
    expect(answers["stand-in/error-402"].suggestions).toEqual({
      add_credits_url: "https://openrouter.ai/settings/credits",
    });
    expect(answers["stand-in/midstream-error-3"]).toMatchObject({
      text: "t0 t1 t2 ",
      error: expect.stringMatching(/failed mid-answer/),
    });
    expect(result.content.at(-1)!.text).toMatch(/^1 of 3 models answered\./);
    expect(result.content[1]!.text).toMatch(/^## stand-in\/error-402 · 0 tokens\n\nFailed: Out of credits/);
  });

  it("is a tool error only when no model answered", async () => {
    const result = await complete({ prompt: "hi", parallel_models: ["stand-in/error-402", "stand-in/at-capacity"] });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toBe("None of the 2 models answered: each one's error is in its answer.");
    expect(result.structuredContent.answers["stand-in/at-capacity"].suggestions.models).toEqual([
      "openai/gpt-4o-mini",
      "anthropic/claude-haiku-4.5",
    ]);
  });

  it("stops every upstream stream when the client goes away mid-way", async () => {
    const models = ["stand-in/slow-300-20", "stand-in/slow-301-20", "stand-in/slow-302-20"];
    const before = standIn.chatRequests().length;
    const controller = new AbortController();
    const res = await post(worker.mcpUrl, chatCall({ prompt: "x", parallel_models: models }, { progressToken: 1 }), {
      key: VALID_KEY,
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first progress: the three streams are under way
    controller.abort();
    const sent = standIn.chatRequests().slice(before);
    expect(sent).toHaveLength(3);
    await expect(Promise.all(sent.map((r) => r.whenClosed))).resolves.toEqual(Array(3).fill("client-closed"));
  });

  it("writes one answer from theirs when asked to synthesize, streamed after them", async () => {
    const before = standIn.chatRequests().length;
    const { result, messages } = await streamed({
      prompt: "Which is best?",
      parallel_models: THREE.slice(0, 2),
      synthesize: "openai/gpt-5",
    });
    const synthesisRequest = standIn.chatRequests().slice(before).at(-1)!.body as { model: string; messages: any[] };
    expect(synthesisRequest.model).toBe("openai/gpt-5");
    expect(synthesisRequest.messages[0]).toEqual({ role: "user", content: "Which is best?" });
    const ask = synthesisRequest.messages[1].content as string;
    expect(ask).toContain(`<answer model="${THREE[0]}">\nEcho: Which is best?\n</answer>`);
    expect(ask).toContain(`<answer model="${THREE[1]}">`);
    const { structuredContent: sc } = result;
    expect(sc.synthesis).toMatchObject({ model: "openai/gpt-5", finish_reason: "stop" });
    expect(sc.text).toBe(sc.synthesis.text);
    expect(sc.text).toMatch(/^Echo: 2 models answered the request above/);
    expect(sc).toMatchObject({ model: "openai/gpt-5", finish_reason: "stop" });
    expect(sc.usage.cost).toBeCloseTo(
      sc.answers[THREE[0]!].usage.cost + sc.answers[THREE[1]!].usage.cost + sc.synthesis.usage.cost,
      12,
    );
    expect(result.content[0]!.text).toBe(sc.text);
    expect(result.content.at(-1)!.text).toMatch(
      /^2 of 2 models answered, then one synthesis\. Total cost: .* for 3 calls\.$/,
    );
    expect(messages.some((m) => m.includes("· synthesis by gpt-5: "))).toBe(true);
  });

  it("keeps the answers when the synthesis fails, and uses the default model for synthesize: true", async () => {
    const failed = await complete({
      prompt: "x",
      parallel_models: THREE.slice(0, 2),
      synthesize: "stand-in/error-402",
    });
    expect(failed.isError).toBeUndefined();
    expect(failed.structuredContent.synthesis.error).toMatch(/^Out of credits/);
    expect(failed.structuredContent.text).toMatch(/^## openai\/gpt-4o-mini/);
    expect(failed.content.at(-2)!.text).toMatch(/^The synthesis by stand-in\/error-402 failed: Out of credits/);
    const before = standIn.chatRequests().length;
    await complete({ prompt: "x", parallel_models: THREE.slice(0, 2), synthesize: true });
    expect((standIn.chatRequests().slice(before).at(-1)!.body as { model: string }).model).toBe(
      "anthropic/claude-haiku-4.5",
    );
  });

  it("cuts long answers to keep the result under its cap, and says so", async () => {
    const result = await complete({ prompt: "x", parallel_models: ["stand-in/tokens-40000", "stand-in/tokens-40001"] });
    expect(JSON.stringify(result).length).toBeLessThan(1_000_000);
    const answer = result.structuredContent.answers["stand-in/tokens-40000"];
    expect(answer.truncated).toBe(true);
    expect(answer.text.length).toBe(125_001);
    expect(result.content[0]!.text).toContain("(Cut short here, to keep the result under its size cap.)");
  });

  it.each([
    [{ parallel_models: ["a/b"] }, /"parallel_models" must name 2 to 5 models/],
    [{ parallel_models: ["a/b", "c/d", "e/f", "g/h", "i/j", "k/l"] }, /"parallel_models" must name 2 to 5 models/],
    [{ parallel_models: ["a/b", "a/b"] }, /"parallel_models" must name each model once/],
    [{ parallel_models: ["a/b", "c/d"], model: "e/f" }, /"model" does not go with "parallel_models"/],
    [{ parallel_models: ["a/b", "c/d"], modalities: ["text", "image"] }, /"modalities" does not go with/],
    [{ synthesize: "a/b" }, /"synthesize" goes with "parallel_models"/],
  ])("refuses %j before anything goes upstream", async (args, expected) => {
    const sent = standIn.chatRequests().length;
    const result = await complete({ prompt: "x", ...args });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(expected);
    expect(standIn.chatRequests().length).toBe(sent);
  });

  it("answers in the listed output schema, as the SDK client checks it", async () => {
    const client = await connectSdkClient(worker.mcpUrl, VALID_KEY, "parallel-test");
    try {
      await client.listTools(); // the SDK validates structuredContent against the listed outputSchema
      const progress: Progress[] = [];
      const result = await client.callTool(
        {
          name: "chat_completion",
          arguments: { prompt: "x", parallel_models: ["stand-in/error-402", ...THREE], synthesize: true },
        },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      expect(result.isError).toBeFalsy();
      expect(progress.at(-1)).toMatchObject({ progress: progress.at(-1)!.total });
    } finally {
      await client.close();
    }
  });
});

describe("parallel_models as one durable call", { timeout: 30_000 }, () => {
  const connect = () => connectSdkClient(worker.mcpUrl, VALID_KEY, "parallel-task-test");

  it("runs as an MCP task, whose result holds every answer", async () => {
    const client = await connect();
    try {
      await client.listTools();
      let result: Result | undefined;
      for await (const message of client.experimental.tasks.callToolStream(
        { name: "chat_completion", arguments: { prompt: "task", parallel_models: THREE } },
        CallToolResultSchema,
        { task: {} },
      )) {
        if (message.type === "result") result = message.result as unknown as Result;
        if (message.type === "error") throw message.error;
      }
      expect(Object.keys(result!.structuredContent.answers)).toEqual(THREE);
      expect(result!.structuredContent.usage.cost).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("stops every upstream stream when the task is cancelled", async () => {
    const client = await connect();
    try {
      const before = standIn.chatRequests().length;
      const models = ["stand-in/slow-200-50", "stand-in/slow-201-50", "stand-in/slow-202-50"];
      const created = await client.request(
        {
          method: "tools/call",
          params: { name: "chat_completion", arguments: { prompt: "x", parallel_models: models }, task: {} },
        },
        CreateTaskResultSchema,
      );
      while (standIn.chatRequests().length < before + 3) await new Promise((resolve) => setTimeout(resolve, 50));
      await client.experimental.tasks.cancelTask(created.task.taskId);
      const sent = standIn.chatRequests().slice(before);
      await expect(Promise.all(sent.map((r) => r.whenClosed))).resolves.toEqual(Array(3).fill("client-closed"));
    } finally {
      await client.close();
    }
  });

  it("runs the whole set as one durable call, which get_completion answers", async () => {
    const started = await complete({ prompt: "later", parallel_models: THREE.slice(0, 2), background: true });
    const { id, status_message } = started.structuredContent.completion;
    expect(status_message).toContain(THREE.slice(0, 2).join(", "));
    const res = await post(
      worker.mcpUrl,
      rpc(2, "tools/call", { name: "get_completion", arguments: { id, wait: 20 } }),
      {
        accept: "application/json",
        key: VALID_KEY,
      },
    );
    const result = (await res.json()).result as Result;
    expect(result.structuredContent.completion.status).toBe("completed");
    expect(Object.keys(result.structuredContent.answers)).toEqual(THREE.slice(0, 2));
    expect(result.structuredContent.answers[THREE[0]!].text).toBe("Echo: later");
  });
});
