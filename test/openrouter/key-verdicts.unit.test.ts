// Unit tests of src/openrouter/key-verdicts.ts: OpenRouter's answer about a key is remembered for
// a minute, accepted or rejected, on a fake clock and a fake GET /key (no Cache API here).
import { afterEach, describe, expect, it, vi } from "vitest";
import { OpenRouter } from "../../src/openrouter/client.js";
import { keyInfoLately, keyRejectedLately, keyVerdict } from "../../src/openrouter/key-verdicts.js";
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
  it("asks once about an accepted key, and again after a minute", async () => {
    const asked = fakeOpenRouter();
    const clock = new FakeClock();
    for (let i = 0; i < 3; i++) expect(await keyRejectedLately(OPENROUTER, "sk-accepted-1", clock)).toBe(false);
    expect(asked).toEqual(["sk-accepted-1"]);
    await clock.advance(59_999);
    await keyRejectedLately(OPENROUTER, "sk-accepted-1", clock);
    expect(asked).toHaveLength(1);
    await clock.advance(1);
    await keyRejectedLately(OPENROUTER, "sk-accepted-1", clock);
    expect(asked).toHaveLength(2);
  });

  it("remembers a rejected key for a minute too", async () => {
    const asked = fakeOpenRouter(new Set(["sk-rejected-1"]));
    const clock = new FakeClock();
    for (let i = 0; i < 3; i++) expect(await keyRejectedLately(OPENROUTER, "sk-rejected-1", clock)).toBe(true);
    expect(asked).toEqual(["sk-rejected-1"]);
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

  it("counts a key as accepted when OpenRouter cannot be asked, and remembers that for the minute", async () => {
    const failing = vi.fn(async () => {
      throw new TypeError("fetch failed");
    });
    vi.stubGlobal("fetch", failing);
    const clock = new FakeClock();
    expect(await keyRejectedLately(OPENROUTER, "sk-unreachable-1", clock)).toBe(false);
    expect(await keyRejectedLately(OPENROUTER, "sk-unreachable-1", clock)).toBe(false);
    expect(failing).toHaveBeenCalledTimes(1);
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

describe("keyVerdict with a limit on new lookups", () => {
  it("asks mayAsk only before a lookup: a key it may not look up is unasked and not remembered; a known key never asks", async () => {
    const asked = fakeOpenRouter(new Set(["sk-limited-rejected"]));
    const clock = new FakeClock();
    const mayAsk = vi.fn(async () => false);
    expect(await keyVerdict(OPENROUTER, "sk-limited-new", clock, mayAsk)).toBe("unasked");
    expect(asked).toEqual([]);
    expect(mayAsk).toHaveBeenCalledTimes(1);
    // Not remembered: once lookups are allowed again, the key is looked up.
    expect(await keyVerdict(OPENROUTER, "sk-limited-new", clock, async () => true)).toBe("accepted");
    expect(asked).toEqual(["sk-limited-new"]);
    // A verdict at hand, accepted or rejected, is answered without asking mayAsk.
    await keyRejectedLately(OPENROUTER, "sk-limited-rejected", clock);
    mayAsk.mockClear();
    expect(await keyVerdict(OPENROUTER, "sk-limited-new", clock, mayAsk)).toBe("accepted");
    expect(await keyVerdict(OPENROUTER, "sk-limited-rejected", clock, mayAsk)).toBe("rejected");
    expect(mayAsk).not.toHaveBeenCalled();
  });
});
