// People in a browser: GET / → Log in → OpenRouter (the stand-in) → back, logged in; the key
// only in an HttpOnly cookie. First with a scripted browser, then with real Chromium.
import { createHash, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../support/browser.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { rawGet } from "../support/http.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { REVOKED_KEY } from "../../stand-in/openrouter.js";

const { standIn, worker } = useWorkerWithStandIn();
let origin: string;
beforeAll(() => {
  origin = worker.origin;
});

/** Logs in through /login and the stand-in's consent; returns the final Location. */
async function logIn(browser: TestBrowser, path = "/login", limit = "3"): Promise<string> {
  const start = await browser.request(`${origin}${path}`);
  expect(start.status).toBe(302);
  const openRouter = start.headers.get("Location")!;
  const page = await browser.request(openRouter);
  const answered = await browser.submitForm(openRouter, await page.text(), { action: "approve", limit });
  const callback = await browser.request(answered.headers.get("Location")!);
  expect(callback.status).toBe(302);
  return callback.headers.get("Location")!;
}

function sessionKeyOf(browser: TestBrowser): string | undefined {
  const raw = browser.cookies.get("mcp_session");
  return raw === undefined ? undefined : decodeURIComponent(raw);
}

/** How many times OpenRouter (the stand-in) was asked about a key (GET /key). */
const keyLookups = () => standIn.requests.filter((r) => r.method === "GET" && r.path === "/api/v1/key").length;

const navigation = {
  "Sec-Fetch-Mode": "navigate",
  "Sec-Fetch-Dest": "document",
  Accept: "text/html,application/xhtml+xml,*/*;q=0.8",
};

describe("browser login", () => {
  it("shows the connect instructions and a login button to scripts such as curl", async () => {
    const scripts: Array<Record<string, string>> = [
      {},
      { Accept: "*/*" },
      { "Sec-Fetch-Mode": "cors" },
      { "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe" },
    ];
    for (const headers of scripts) {
      const res = await rawGet(`${origin}/`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      const html = res.body;
      expect(html).toContain('href="/login"');
      expect(html).toContain(`${origin}/mcp`);
      expect(html).toContain("npx @modelcontextprotocol/inspector");
    }
  });

  it("shows a person opening / logged out the page and its login button, never a redirect", async () => {
    // node:http, because fetch always sends Sec-Fetch-Mode: cors.
    for (const path of ["/", "/?about", "/?logged_out"]) {
      for (const headers of [navigation, { Accept: "text/html" }]) {
        const res = await rawGet(`${origin}${path}`, headers);
        expect(res.status, path).toBe(200);
        expect(res.body).toContain('href="/login"');
      }
    }
    expect((await rawGet(`${origin}/?logged_out`, navigation)).body).toContain("You are logged out");
    const withSession = await rawGet(`${origin}/`, { ...navigation, Cookie: `mcp_session=${REVOKED_KEY}` });
    expect(withSession.status).toBe(200);
  });

  it("goes through OpenRouter with PKCE and keeps the key in an HttpOnly, SameSite=Lax cookie only", async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${origin}/login`);
    const openRouter = new URL(start.headers.get("Location")!);
    expect(openRouter.origin + openRouter.pathname).toBe(standIn.authUrl);
    expect(openRouter.searchParams.get("callback_url")).toBe(`${origin}/login/callback`);
    expect(openRouter.searchParams.get("code_challenge_method")).toBe("S256");
    expect(openRouter.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(openRouter.searchParams.get("key_label")).toBe(`Browser login via ${new URL(origin).host}`);

    const browser2 = new TestBrowser();
    expect(await logIn(browser2)).toBe("/");
    const key = sessionKeyOf(browser2)!;
    expect(key).toMatch(/^sk-or-v1-/);
    const line = browser2.setCookieHeaders.find((l) => l.startsWith("mcp_session=") && !l.includes("Max-Age=0"))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\//);
    expect(line).not.toMatch(/Secure/); // loopback: plain http
    expect(browser2.cookies.has("mcp_login")).toBe(false);

    const home = await browser2.request(`${origin}/`);
    const html = await home.text();
    expect(html).toContain("Logged in with OpenRouter");
    expect(html).toMatch(/id="key-limit">\$3\.00</);
    expect(html).toMatch(/id="key-usage">\$0\.0123</);
    // The stand-in, like OpenRouter, names the key by the key_label the login asked for.
    expect(html).toContain(`id="key-label">Browser login via ${new URL(origin).host}<`);
    expect(html).toContain(`${origin}/mcp`);
    // Links to the key's own pages on OpenRouter, built from its SHA-256 (never the key).
    const hash = createHash("sha256").update(key).digest("hex");
    expect(html).toContain(`id="key-settings" href="https://openrouter.ai/keys/${hash}"`);
    expect(html).toContain(`id="key-activity" href="https://openrouter.ai/logs?api_key_hash=${hash}"`);
    expect(html).not.toContain(key);
    expect(worker.logs().join("\n")).not.toContain(key);
  });

  it("returns only to same-origin paths", async () => {
    for (const [target, expected] of [
      ["/somewhere?x=1", "/somewhere?x=1"],
      ["https://evil.example/", "/"],
      ["//evil.example/", "/"],
      ["/\\evil.example", "/"],
      ["javascript:alert(1)", "/"],
      ["/%0d%0aSet-Cookie:x=y", "/%0d%0aSet-Cookie:x=y"],
    ]) {
      const browser = new TestBrowser();
      expect(await logIn(browser, `/login?redirect_to=${encodeURIComponent(target!)}`), target).toBe(expected);
    }
  });

  it("refuses a callback this browser did not start, and a code from someone else's login", async () => {
    const stranger = new TestBrowser();
    const noCookie = await stranger.request(`${origin}/login/callback?code=abc`);
    expect(noCookie.status).toBe(400);
    expect(noCookie.headers.get("Set-Cookie") ?? "").not.toMatch(/mcp_session=[^;]/);

    // The attacker starts a login of their own, gets a code, and feeds it to the victim's callback.
    const attacker = new TestBrowser();
    const attackerStart = await attacker.request(`${origin}/login`);
    const approved = await fetch(`${attackerStart.headers.get("Location")!}&auto=approve`, { redirect: "manual" });
    const attackerCode = new URL(approved.headers.get("Location")!).searchParams.get("code")!;
    const victim = new TestBrowser();
    await victim.request(`${origin}/login`);
    const res = await victim.request(`${origin}/login/callback?code=${attackerCode}`);
    expect(res.status).toBe(400);
    expect(sessionKeyOf(victim)).toBeUndefined();
  });

  it("logs out only from our own pages, to same-origin paths", async () => {
    const browser = new TestBrowser();
    await logIn(browser);
    const crossSite = await browser.request(`${origin}/logout`, {
      method: "POST",
      headers: { Origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    expect(sessionKeyOf(browser)).toBeDefined();
    const get = await browser.request(`${origin}/logout`);
    expect(get.status).toBe(405);
    const out = await browser.request(`${origin}/logout?redirect_to=${encodeURIComponent("//evil.example")}`, {
      method: "POST",
      headers: { Origin: origin },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("Location")).toBe("/?logged_out");
    expect(sessionKeyOf(browser)).toBeUndefined();
    const landing = await browser.request(`${origin}/?logged_out`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('href="/login"');
    await logIn(browser);
    const elsewhere = await browser.request(`${origin}/logout?redirect_to=${encodeURIComponent("/?about")}`, {
      method: "POST",
      headers: { Origin: origin },
    });
    expect(elsewhere.headers.get("Location")).toBe("/?about");
  });

  it.each([
    "/.//evil.example/phish",
    "/..//evil.example/phish",
    "/a/..//evil.example/phish",
    "/./\\evil.example/phish",
    "/%2f%2fevil.example/phish",
    "/%2F/evil.example/phish",
    "/%5cevil.example/phish",
    "/.%2f/evil.example/phish",
  ])("never lets logout's redirect_to %s leave as a scheme-relative //host", async (target) => {
    const out = await fetch(`${origin}/logout?redirect_to=${encodeURIComponent(target)}`, {
      method: "POST",
      headers: { Origin: origin },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("Location")).toBe("/?logged_out");
    const raw = await fetch(`${origin}/logout?redirect_to=${target}`, {
      method: "POST",
      headers: { Origin: origin },
      redirect: "manual",
    });
    expect(raw.headers.get("Location")).toBe("/?logged_out");
    expect(await logIn(new TestBrowser(), `/login?redirect_to=${encodeURIComponent(target)}`)).toBe("/");
  });

  it("forgets a key OpenRouter no longer accepts", async () => {
    const browser = new TestBrowser();
    browser.cookies.set("mcp_session", REVOKED_KEY);
    const res = await browser.request(`${origin}/`);
    const html = await res.text();
    expect(html).toMatch(/no longer accepts/);
    expect(html).not.toContain(REVOKED_KEY);
    expect(browser.cookies.has("mcp_session")).toBe(false);
  });

  it("asks OpenRouter nothing about a session cookie that cannot hold a key, on / and /login", async () => {
    const before = keyLookups();
    // Made up, not shaped like an OpenRouter key, too long, or sealed (no TOKEN_SECRET here to open it).
    for (const value of [
      "anything",
      "x",
      encodeURIComponent("sk-or-v1-with spaces"),
      `sk-or-v1-${"a".repeat(600)}`,
      "mcp_s.forged",
    ]) {
      const home = await fetch(`${origin}/`, { headers: { Cookie: `mcp_session=${value}` } });
      expect(home.status).toBe(200);
      expect(await home.text(), value).toContain('href="/login"');
      const login = await fetch(`${origin}/login`, { headers: { Cookie: `mcp_session=${value}` }, redirect: "manual" });
      expect(login.status).toBe(302);
      expect(login.headers.get("Location")).toMatch(new RegExp(`^${standIn.authUrl}\\?`));
    }
    expect(keyLookups()).toBe(before);
  });

  it("asks OpenRouter about a made-up key in a session cookie once a minute, however often / and /login see it", async () => {
    // Shaped like a key, and one the stand-in rejects (only sk-or-v1- keys are its own).
    const cookie = `mcp_session=sk-or-v0-made-up-${randomUUID()}`;
    const before = keyLookups();
    for (let i = 0; i < 3; i++) {
      const home = await fetch(`${origin}/`, { headers: { Cookie: cookie } });
      expect(await home.text()).toContain("OpenRouter no longer accepts the key");
      expect(home.headers.get("Set-Cookie")).toMatch(/^mcp_session=;.*Max-Age=0/);
      const login = await fetch(`${origin}/login`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(login.headers.get("Location")).toMatch(new RegExp(`^${standIn.authUrl}\\?`));
    }
    expect(keyLookups()).toBe(before + 1);
  });

  it("off loopback, uses Secure __Host- cookies", async () => {
    // As the edge delivers it: a client address that is not loopback, and no port but the default.
    const res = await rawGet(`${origin}/login`, { Host: "mcp.example.com", "CF-Connecting-IP": "203.0.113.9" });
    const line = [res.headers["set-cookie"] ?? []].flat()[0]!;
    expect(line).toMatch(/^__Host-mcp_login=/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/HttpOnly/);
  });
});

describe.skipIf(!hasChromium)("browser login in Chromium", { timeout: 90_000 }, () => {
  it("logs in from GET /, shows the key's details, and logs out", async () => {
    // Reached as "localhost" while OpenRouter (the stand-in) is on "127.0.0.1": another site, so
    // the SameSite=Lax cookies must survive a cross-site return, as from openrouter.ai.
    const origin = worker.origin.replace("127.0.0.1", "localhost");
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      // The home page logged out offers the login; the button goes to OpenRouter's consent.
      await page.goto(`${origin}/`);
      await page.getByRole("link", { name: "Log in with OpenRouter" }).click();
      await page.waitForURL((url) => url.href.startsWith(standIn.authUrl));
      await page.fill('input[name="limit"]', "7");
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.waitForURL(`${origin}/`);
      await expect(page.locator("#key-limit").textContent()).resolves.toBe("$7.00");
      await expect(page.locator("#key-usage").textContent()).resolves.toBe("$0.0123");
      await expect(page.locator("#key-label").textContent()).resolves.toBe(`Browser login via ${new URL(origin).host}`);

      const session = (await context.cookies()).find((c) => c.name === "mcp_session")!;
      expect(session.httpOnly).toBe(true);
      expect(session.sameSite).toBe("Lax");
      const key = decodeURIComponent(session.value);
      expect(await page.content()).not.toContain(key);
      // Scripts on the page cannot read it.
      expect(await page.evaluate(() => document.cookie)).not.toContain("mcp_session");

      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL(`${origin}/?logged_out`);
      await expect(page.getByRole("link", { name: "Log in with OpenRouter" }).isVisible()).resolves.toBe(true);
      expect((await context.cookies()).some((c) => c.name === "mcp_session")).toBe(false);

      // Logging in again from the button works the same way.
      await page.getByRole("link", { name: "Log in with OpenRouter" }).click();
      await page.waitForURL((url) => url.href.startsWith(standIn.authUrl));
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.waitForURL(`${origin}/`);
      await expect(page.locator("#account").textContent()).resolves.toContain("Logged in with OpenRouter");
    } finally {
      await browser.close();
    }
  });
});
