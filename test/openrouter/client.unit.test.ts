// Unit tests of src/openrouter/client.ts: the one client sends the same headers on every call,
// times out on its clock (a FakeClock here: no real waiting) and never reads a body past its cap.
import { describe, expect, it } from "vitest";
import { OpenRouter } from "../../src/openrouter/client.js";
import { FakeClock, flushMicrotasks } from "../support/fake-clock.js";

const BASE = "https://openrouter.test/api/v1";
const KEY = "sk-or-v1-unit-test-key";
const CHAT = { model: "vendor/model", messages: [{ role: "user" as const, content: "hi" }] };

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal;
}

/** A client whose fetch answers with `answer` (or never, honouring the abort as a real fetch does). */
function clientWith(answer: (sent: Sent) => Response | "never") {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const fetch = ((input: string, init: RequestInit) => {
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const request: Sent = {
      url: input,
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body,
      signal: init.signal!,
    };
    sent.push(request);
    const response = answer(request);
    if (response !== "never") return Promise.resolve(response);
    return new Promise<Response>((_, reject) =>
      request.signal.addEventListener("abort", () => reject(request.signal.reason)),
    );
  }) as typeof globalThis.fetch;
  const openRouter = new OpenRouter({
    baseUrl: BASE,
    referer: "https://mcp.example",
    chatStartTimeoutMs: 60_000,
    clock,
    fetch,
  });
  return { openRouter, clock, sent };
}

/** A body that sends `chunk` as often as it is read, until `total` bytes, and counts what it sent. */
function endlessBody(total = Infinity) {
  const chunk = new Uint8Array(64 * 1024).fill(0x7b);
  const counter = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.bytes >= total) return controller.close();
      counter.bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { body, counter };
}

/** A body that never sends a byte, and fails when the request is aborted (as fetch's body does). */
function silentBody(signal: AbortSignal): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal.addEventListener("abort", () => controller.error(signal.reason));
    },
  });
}

describe("every call", () => {
  it("sends the attribution headers, and the key only where one is given", async () => {
    const { openRouter, sent } = clientWith(() => Response.json({}));
    await openRouter.startChat(KEY, CHAT, new AbortController().signal);
    await openRouter.keyInfo(KEY);
    await openRouter.exchangeCode("code", "verifier");
    await openRouter.modelList();
    expect(sent.map((s) => `${s.method} ${s.url.slice(BASE.length)}`)).toEqual([
      "POST /chat/completions",
      "GET /key",
      "POST /auth/keys",
      "GET /models",
    ]);
    for (const request of sent) {
      expect(request.headers.get("HTTP-Referer")).toBe("https://mcp.example");
      expect(request.headers.get("X-Title")).toBe("OpenRouter MCP");
    }
    expect(sent.map((s) => s.headers.get("Authorization"))).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`, null, null]);
    expect(sent.map((s) => s.headers.get("Accept"))).toEqual([
      "text/event-stream",
      "application/json",
      "application/json",
      "application/json",
    ]);
  });
});

describe("startChat", () => {
  it(
    "gives up on an upstream that sends no headers within the start timeout, and drops the request",
    { timeout: 2_000 },
    async () => {
      const { openRouter, clock, sent } = clientWith(() => "never");
      let settled = false;
      const start = openRouter.startChat(KEY, CHAT, new AbortController().signal).finally(() => void (settled = true));
      await clock.advance(59_999);
      expect(settled).toBe(false);
      await clock.advance(1);
      expect(await start).toMatchObject({ ok: false, status: 0, timedOut: true });
      expect(sent[0]!.signal.aborted).toBe(true);
      expect(clock.pending).toBe(0);
    },
  );

  it("stops waiting when the client goes away, which is no timeout", { timeout: 2_000 }, async () => {
    const { openRouter, clock } = clientWith(() => "never");
    const client = new AbortController();
    const start = openRouter.startChat(KEY, CHAT, client.signal);
    await flushMicrotasks();
    client.abort();
    const refused = await start;
    expect(refused).toMatchObject({ ok: false, status: 0 });
    expect("timedOut" in refused).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it("hands on the body of an answer that started, leaving the start timeout behind", async () => {
    const { openRouter, clock } = clientWith(
      () => new Response("data: [DONE]\n\n", { headers: { "Content-Type": "text/event-stream" } }),
    );
    const start = await openRouter.startChat(KEY, CHAT, new AbortController().signal);
    expect(start.ok && (await new Response(start.body).text())).toBe("data: [DONE]\n\n");
    expect(clock.pending).toBe(0);
  });

  it("reads a refusal's message, Retry-After and suggested models", async () => {
    const { openRouter } = clientWith(() =>
      Response.json(
        { error: { code: 429, message: "Slow down", availability: { retry_after: 30, fallback_models: ["a/b"] } } },
        { status: 429, headers: { "Retry-After": "7" } },
      ),
    );
    expect(await openRouter.startChat(KEY, CHAT, new AbortController().signal)).toEqual({
      ok: false,
      status: 429,
      message: "Slow down",
      retryAfterSeconds: 7,
      fallbackModels: ["a/b"],
    });
  });

  it("keeps the status and Retry-After of a refusal whose body is not OpenRouter's error shape", async () => {
    const { openRouter } = clientWith(() =>
      Response.json({ error: { message: 42 } }, { status: 503, headers: { "Retry-After": "3" } }),
    );
    expect(await openRouter.startChat(KEY, CHAT, new AbortController().signal)).toEqual({
      ok: false,
      status: 503,
      message: undefined,
      retryAfterSeconds: 3,
      fallbackModels: [],
    });
  });

  it("reads no more of an error body than its cap, and keeps the status", async () => {
    const { body, counter } = endlessBody();
    const { openRouter } = clientWith(() => new Response(body, { status: 500 }));
    expect(await openRouter.startChat(KEY, CHAT, new AbortController().signal)).toMatchObject({
      ok: false,
      status: 500,
      message: undefined,
    });
    expect(counter.bytes).toBeLessThanOrEqual(16 * 1024 + 2 * 64 * 1024);
  });
});

describe("keyInfo", () => {
  it("reads the key's details", async () => {
    const { openRouter } = clientWith(() =>
      Response.json({ data: { label: "Mine", limit: 5, usage: 0.25, limit_remaining: 4.75 } }),
    );
    expect(await openRouter.keyInfo(KEY)).toEqual({
      ok: true,
      info: { label: "Mine", limit: 5, usage: 0.25, limitRemaining: 4.75 },
    });
  });

  it.each([401, 403])("says a key OpenRouter refuses with %i is rejected", async (status) => {
    const { openRouter } = clientWith(() => Response.json({ error: { code: status } }, { status }));
    expect(await openRouter.keyInfo(KEY)).toEqual({ ok: false, rejected: true });
  });

  it.each([
    ["429 with Retry-After", () => new Response("{}", { status: 429, headers: { "Retry-After": "12" } }), 12],
    ["a 502", () => new Response("Bad gateway", { status: 502 }), undefined],
    ["a 200 that is not key details", () => new Response("<html>"), undefined],
  ] as const)("says OpenRouter could not tell, for %s", async (_, answer, retryAfterSeconds) => {
    const { openRouter } = clientWith(answer);
    expect(await openRouter.keyInfo(KEY)).toEqual({ ok: false, rejected: false, retryAfterSeconds });
  });

  it(
    "gives up within its timeout on headers that never come, or a body that never ends",
    { timeout: 2_000 },
    async () => {
      for (const answer of [() => "never" as const, (sent: Sent) => new Response(silentBody(sent.signal))]) {
        const { openRouter, clock } = clientWith(answer);
        const lookup = openRouter.keyInfo(KEY);
        await clock.advance(15_000);
        expect(await lookup).toEqual({ ok: false, rejected: false, retryAfterSeconds: undefined });
        expect(clock.pending).toBe(0);
      }
    },
  );

  it("reads no more of a key's details than its cap", async () => {
    const { body, counter } = endlessBody();
    const { openRouter } = clientWith(() => new Response(body));
    expect(await openRouter.keyInfo(KEY)).toMatchObject({ ok: false, rejected: false });
    expect(counter.bytes).toBeLessThanOrEqual(16 * 1024 + 2 * 64 * 1024);
  });
});

describe("exchangeCode", () => {
  it("turns a code and its verifier into the key, sent as S256", async () => {
    const { openRouter, sent } = clientWith(() => Response.json({ key: KEY, user_id: "u" }));
    expect(await openRouter.exchangeCode("the-code", "the-verifier")).toEqual({ ok: true, key: KEY });
    expect(sent[0]!.body).toEqual({ code: "the-code", code_verifier: "the-verifier", code_challenge_method: "S256" });
    expect(sent[0]!.headers.get("Content-Type")).toBe("application/json");
  });

  it.each([
    [400, true],
    [403, true],
    [429, false],
    [500, false],
  ])("tells a refused code from an OpenRouter that could not answer (HTTP %i)", async (status, refused) => {
    const { openRouter } = clientWith(() => new Response("{}", { status }));
    expect(await openRouter.exchangeCode("c", "v")).toEqual({ ok: false, refused, status });
  });

  it("counts an answer without a key as a failure, never a login", async () => {
    const { openRouter } = clientWith(() => Response.json({ key: "" }));
    expect(await openRouter.exchangeCode("c", "v")).toEqual({ ok: false, refused: false, status: 200 });
  });
});

describe("modelList", () => {
  it("reads the list, and says why there is none", async () => {
    expect(await clientWith(() => new Response('{"data":[]}')).openRouter.modelList()).toEqual({
      ok: true,
      text: '{"data":[]}',
    });
    expect(await clientWith(() => new Response("", { status: 503 })).openRouter.modelList()).toEqual({
      ok: false,
      why: "HTTP 503",
    });
    const { body, counter } = endlessBody();
    expect(await clientWith(() => new Response(body)).openRouter.modelList()).toMatchObject({
      ok: false,
      why: expect.stringMatching(/larger than/),
    });
    expect(counter.bytes).toBeLessThanOrEqual(16 * 1024 * 1024 + 2 * 64 * 1024);
  });
});
