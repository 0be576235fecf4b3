// chat_completion's failures, end to end against a stand-in OpenRouter: OpenRouter's errors, a broken or
// stalled stream and an unreachable OpenRouter are tool results that say what to do, and invalid
// arguments are tool results naming the field.
import { describe, expect, it } from "vitest";
import { UNREACHABLE_OPENROUTER, useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { chatCall as call, post, sseMessages, tokensText } from "../support/http.js";
import { startWorker } from "../support/worker.js";

const { standIn, worker } = useWorkerWithStandIn();

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
