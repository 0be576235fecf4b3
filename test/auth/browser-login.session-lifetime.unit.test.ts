// How long the browser login's session lasts (auth/browser-login.ts), on a fake clock: a login
// completed through /login/callback with TOKEN_SECRET set gives a sealed session cookie that
// holds the key for 30 days, to the second, and not after; no real waiting, nothing forged.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleLoginCallback, sessionKey } from "../../src/auth/browser-login.js";
import { readConfig } from "../../src/config.js";
import { FakeClock } from "../support/fake-clock.js";

const ORIGIN = "http://localhost:8787";
const KEY = "sk-or-v1-session-lifetime";
const SESSION_MS = 30 * 24 * 3600 * 1000;

/** OpenRouter's code exchange: any code becomes KEY. */
beforeEach(() => {
  vi.stubGlobal("fetch", async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : input);
    return url.pathname.endsWith("/auth/keys")
      ? Response.json({ key: KEY })
      : new Response("not in this test", { status: 500 });
  });
});

afterEach(() => vi.unstubAllGlobals());

const config = readConfig({
  OPENROUTER_BASE_URL: "http://openrouter.test/api/v1",
  TOKEN_SECRET: randomBytes(32).toString("base64url"),
});

/** The session cookie a completed browser login sets, and its Max-Age. */
async function logIn(clock: FakeClock): Promise<{ cookie: string; maxAge: string | undefined }> {
  const pending = Buffer.from(JSON.stringify({ v: "a-verifier-of-this-login", to: "/" })).toString("base64url");
  const request = new Request(`${ORIGIN}/login/callback?code=a-code`, { headers: { Cookie: `mcp_login=${pending}` } });
  const res = await handleLoginCallback(request, config, { clock });
  expect(res.status).toBe(302);
  const session = res.headers.getSetCookie().find((c) => c.startsWith("mcp_session="))!;
  return { cookie: session.split(";")[0]!, maxAge: /Max-Age=(\d+)/.exec(session)?.[1] };
}

const keyAt = (cookie: string, clock: FakeClock) =>
  sessionKey(new Request(`${ORIGIN}/`, { headers: { Cookie: cookie } }), config, clock);

describe("the browser session", () => {
  it("holds the key for 30 days: the browser keeps the cookie that long, and its sealed expiry agrees", async () => {
    const clock = new FakeClock();
    const { cookie, maxAge } = await logIn(clock);
    expect(maxAge).toBe(String(SESSION_MS / 1000));
    expect(await keyAt(cookie, clock)).toBe(KEY);
    await clock.advance(SESSION_MS - 1000);
    expect(await keyAt(cookie, clock)).toBe(KEY);
    await clock.advance(1000);
    expect(await keyAt(cookie, clock)).toBeUndefined();
  });
});
