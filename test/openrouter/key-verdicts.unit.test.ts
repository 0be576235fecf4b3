// Unit tests of src/openrouter/key-verdicts.ts: OpenRouter's answer about a key is remembered
// (accepted ten minutes, rejected one, unknown ten seconds), and an answer OpenRouter could not
// give is never taken for an accepted key; on a fake clock and a fake GET /key (no Cache API here).
import { afterEach, describe, expect, it, vi } from "vitest";
import { OpenRouter } from "../../src/openrouter/client.js";
import { keyInfoLately, keyRejectedLately, keyRejectedNow, keyVerdict } from "../../src/openrouter/key-verdicts.js";
import { FakeClock } from "../support/fake-clock.js";

/** The client asks through the global fetch, which each test stubs. */
const OPENROUTER = new OpenRouter({
  baseUrl: "https://openrouter.test/api/v1",
  referer: "https://mcp.test",
  chatStartTimeoutMs: 60_000,
});

/** Answers GET /key as OpenRouter would: 401 for the keys in `rejected`, else the key's data. */
function fakeOpenRouter(rejected: ReadonlySet<string> = new Set()) {
  const asked: string[] = [];
  const fetchKey = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const key = new Headers(init?.headers).get("Authorization")!.replace(/^Bearer /, "");
    asked.push(key);
    return rejected.has(key)
      ? new Response("{}", { status: 401 })
      : Response.json({ data: { label: "k", limit: null, usage: 0 } });
  });
  vi.stubGlobal("fetch", fetchKey);
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe("keyRejectedLately", () => {
  it("asks once about an accepted key, and again after ten minutes: longer than a minute", async () => {
    const asked = fakeOpenRouter();
    const clock = new FakeClock();
    for (let i = 0; i < 3; i++) expect(await keyRejectedLately(OPENROUTER, "sk-accepted-1", clock)).toBe(false);
    expect(asked).toEqual(["sk-accepted-1"]);
    await clock.advance(599_999);
    await keyRejectedLately(OPENROUTER, "sk-accepted-1", clock);
    expect(asked).toHaveLength(1);
    await clock.advance(1);
    await keyRejectedLately(OPENROUTER, "sk-accepted-1", clock);
    expect(asked).toHaveLength(2);
  });

  it("remembers a rejected key for a minute", async () => {
    const asked = fakeOpenRouter(new Set(["sk-rejected-1"]));
    const clock = new FakeClock();
    for (let i = 0; i < 3; i++) expect(await keyRejectedLately(OPENROUTER, "sk-rejected-1", clock)).toBe(true);
    expect(asked).toEqual(["sk-rejected-1"]);
    await clock.advance(60_000);
    await keyRejectedLately(OPENROUTER, "sk-rejected-1", clock);
    expect(asked).toHaveLength(2);
  });

  it("takes a key OpenRouter later refuses a call for as rejected at once, however it was judged", async () => {
    const asked = fakeOpenRouter();
    const clock = new FakeClock();
    expect(await keyVerdict(OPENROUTER, "sk-revoked-later", clock)).toBe("accepted");
    await keyRejectedNow(OPENROUTER, "sk-revoked-later", clock);
    expect(await keyVerdict(OPENROUTER, "sk-revoked-later", clock)).toBe("rejected");
    expect(asked).toHaveLength(1);
  });

  it("asks once for requests that arrive while it is asking", async () => {
    const asked = fakeOpenRouter();
    const clock = new FakeClock();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => keyRejectedLately(OPENROUTER, "sk-burst-1", clock)),
    );
    expect(answers).toEqual(Array(10).fill(false));
    expect(asked).toEqual(["sk-burst-1"]);
  });

  it.each([
    ["429", () => new Response("{}", { status: 429, headers: { "Retry-After": "30" } })],
    ["431", () => new Response("", { status: 431 })],
    ["500", () => new Response("{}", { status: 500 })],
    ["502", () => new Response("bad gateway", { status: 502 })],
    ["200 without the key's details", () => new Response("<html>", { status: 200 })],
    [
      "a network error",
      () => {
        throw new TypeError("fetch failed");
      },
    ],
  ])(
    "takes a lookup answered with %s for unknown, never accepted, and asks again ten seconds later",
    async (_, answer) => {
      const failing = vi.fn(async () => answer());
      vi.stubGlobal("fetch", failing);
      const clock = new FakeClock();
      const key = `sk-unknown-${failing.getMockName()}-${Math.random()}`;
      expect(await keyVerdict(OPENROUTER, key, clock)).toBe("unknown");
      expect(await keyVerdict(OPENROUTER, key, clock)).toBe("unknown");
      expect(await keyRejectedLately(OPENROUTER, key, clock)).toBe(false);
      expect(failing).toHaveBeenCalledTimes(1);
      await clock.advance(10_000);
      expect(await keyVerdict(OPENROUTER, key, clock)).toBe("unknown");
      expect(failing).toHaveBeenCalledTimes(2);
    },
  );

  it("takes a lookup with no answer within its deadline for unknown", async () => {
    const hanging = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
        ),
    );
    vi.stubGlobal("fetch", hanging);
    const clock = new FakeClock();
    const client = new OpenRouter({
      baseUrl: "https://openrouter.test/api/v1",
      referer: "https://mcp.test",
      chatStartTimeoutMs: 60_000,
      clock,
    });
    const verdict = keyVerdict(client, "sk-timeout-1", clock);
    await vi.waitFor(() => expect(hanging).toHaveBeenCalled());
    await clock.advance(15_000);
    expect(await verdict).toBe("unknown");
  });

  it("keeps verdicts per OpenRouter base URL", async () => {
    const asked = fakeOpenRouter();
    const clock = new FakeClock();
    await keyRejectedLately(OPENROUTER, "sk-two-bases", clock);
    const elsewhere = new OpenRouter({
      baseUrl: "https://elsewhere.test/api/v1",
      referer: "https://mcp.test",
      chatStartTimeoutMs: 60_000,
    });
    await keyRejectedLately(elsewhere, "sk-two-bases", clock);
    expect(asked).toHaveLength(2);
  });
});

describe("keyInfoLately", () => {
  it("asks each time about a key OpenRouter accepts (its usage changes), and remembers the verdict", async () => {
    const asked = fakeOpenRouter();
    const clock = new FakeClock();
    for (let i = 0; i < 2; i++)
      expect(await keyInfoLately(OPENROUTER, "sk-details-1", clock)).toMatchObject({ ok: true, info: { label: "k" } });
    expect(asked).toEqual(["sk-details-1", "sk-details-1"]);
    expect(await keyRejectedLately(OPENROUTER, "sk-details-1", clock)).toBe(false);
    expect(asked).toHaveLength(2);
  });

  it("asks about a rejected key once a minute, sharing the verdict with keyRejectedLately", async () => {
    const asked = fakeOpenRouter(new Set(["sk-made-up-1", "sk-made-up-2"]));
    const clock = new FakeClock();
    for (let i = 0; i < 3; i++)
      expect(await keyInfoLately(OPENROUTER, "sk-made-up-1", clock)).toEqual({ ok: false, rejected: true });
    expect(await keyRejectedLately(OPENROUTER, "sk-made-up-1", clock)).toBe(true);
    expect(asked).toEqual(["sk-made-up-1"]);
    await clock.advance(60_000);
    await keyInfoLately(OPENROUTER, "sk-made-up-1", clock);
    expect(asked).toHaveLength(2);
    // Rejected through keyRejectedLately first: the page does not ask again either.
    expect(await keyRejectedLately(OPENROUTER, "sk-made-up-2", clock)).toBe(true);
    expect(await keyInfoLately(OPENROUTER, "sk-made-up-2", clock)).toEqual({ ok: false, rejected: true });
    expect(asked).toEqual(["sk-made-up-1", "sk-made-up-1", "sk-made-up-2"]);
  });
});

describe("keyVerdict with a budget of lookups", () => {
  const budget = (allowed: boolean) => ({ allows: vi.fn(async () => allowed), failed: vi.fn(async () => {}) });

  it("asks the budget only before a lookup: a key it may not look up is unasked and not remembered; a known key never asks", async () => {
    const asked = fakeOpenRouter(new Set(["sk-limited-rejected"]));
    const clock = new FakeClock();
    const closed = budget(false);
    expect(await keyVerdict(OPENROUTER, "sk-limited-new", clock, closed)).toBe("unasked");
    expect(asked).toEqual([]);
    expect(closed.allows).toHaveBeenCalledTimes(1);
    // Not remembered: once lookups are allowed again, the key is looked up.
    expect(await keyVerdict(OPENROUTER, "sk-limited-new", clock, budget(true))).toBe("accepted");
    expect(asked).toEqual(["sk-limited-new"]);
    // A verdict at hand, accepted or rejected, is answered without asking the budget.
    await keyRejectedLately(OPENROUTER, "sk-limited-rejected", clock);
    closed.allows.mockClear();
    expect(await keyVerdict(OPENROUTER, "sk-limited-new", clock, closed)).toBe("accepted");
    expect(await keyVerdict(OPENROUTER, "sk-limited-rejected", clock, closed)).toBe("rejected");
    expect(closed.allows).not.toHaveBeenCalled();
  });

  it("spends the budget on lookups that end rejected or unknown, never on an accepted one", async () => {
    fakeOpenRouter(new Set(["sk-spent-rejected"]));
    const clock = new FakeClock();
    const open = budget(true);
    await keyVerdict(OPENROUTER, "sk-spent-accepted", clock, open);
    expect(open.failed).not.toHaveBeenCalled();
    await keyVerdict(OPENROUTER, "sk-spent-rejected", clock, open);
    expect(open.failed).toHaveBeenCalledTimes(1);
    vi.stubGlobal("fetch", async () => new Response("", { status: 503 }));
    await keyVerdict(OPENROUTER, "sk-spent-unknown", clock, open);
    expect(open.failed).toHaveBeenCalledTimes(2);
  });
});
