// /authorize and its consent page (src/auth/authorize.ts): the whole dance against the stand-in
// OpenRouter, and every way the endpoint and the consent POST must refuse. /callback: callback.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { pkcePair, TestBrowser } from "../support/browser.js";
import { post, rpc } from "../support/http.js";
import { authorizeUrl, exchangeCode, registeredClientId, standardParams, walkConsent } from "../support/oauth.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

const REDIRECT = "https://client.example/oauth/callback";

const { standIn, worker } = useWorkerWithStandIn();
let origin: string;
let clientId: string;
/** Every secret the flow produced: none may appear in a log line. */
const secrets: string[] = [];

beforeAll(async () => {
  origin = worker.origin;
  clientId = await registeredClientId(origin, [REDIRECT, "http://127.0.0.1:33418/callback"], "Acme <b>Agent</b>");
});

function keysIssued(): Array<{ code: string; verifier: string }> {
  return standIn.requests
    .filter((r) => r.path === "/api/v1/auth/keys")
    .map((r) => r.body as { code: string; code_verifier: string })
    .map((b) => ({ code: b.code, verifier: b.code_verifier }));
}

describe("the authorization code flow", () => {
  it("goes from /authorize through both consents to a key that calls the tool", async () => {
    const browser = new TestBrowser();
    const { verifier, challenge } = await pkcePair();
    secrets.push(verifier);
    const url = authorizeUrl(
      origin,
      standardParams(clientId, REDIRECT, challenge, origin, "state with spaces & symbols"),
    );

    const consent = await browser.request(url);
    expect(consent.status).toBe(200);
    const html = await consent.text();
    // Our page names the client (escaped) and where the key goes.
    expect(html).toContain("Acme &#60;b&#62;Agent&#60;/b&#62;");
    expect(html).not.toContain("<b>Agent</b>");
    expect(html).toContain("client.example");
    expect(html).toMatch(/credit limit/i);
    expect(consent.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(consent.headers.get("X-Frame-Options")).toBe("DENY");

    const dance = await walkConsent(browser, url, { limit: "5" });
    // PKCE end to end: OpenRouter got the client's own challenge, and a callback to us.
    expect(dance.openRouterUrl.origin + dance.openRouterUrl.pathname).toBe(standIn.authUrl);
    expect(dance.openRouterUrl.searchParams.get("code_challenge")).toBe(challenge);
    expect(dance.openRouterUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(dance.openRouterUrl.searchParams.get("callback_url")).toMatch(new RegExp(`^${origin}/callback/`));
    // The key is named after the client and this server, so the person can find it at OpenRouter.
    expect(dance.openRouterUrl.searchParams.get("key_label")).toBe(`Acme <b>Agent</b> via ${new URL(origin).host}`);
    // The client gets the code with its state and our issuer.
    expect(dance.final.origin + dance.final.pathname).toBe(REDIRECT);
    expect(dance.final.searchParams.get("state")).toBe("state with spaces & symbols");
    expect(dance.final.searchParams.get("iss")).toBe(origin);
    const code = dance.final.searchParams.get("code")!;
    expect(code).toBeTruthy();
    secrets.push(code);
    // The approval cookie is single use: the callback cleared it.
    expect([...browser.cookies.keys()].some((k) => k.includes("mcp_tx_"))).toBe(false);

    const token = await exchangeCode(origin, {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
      resource: `${origin}/mcp`,
    });
    expect(token.status).toBe(200);
    expect(token.headers.get("Cache-Control")).toBe("no-store");
    const tokens = (await token.json()) as { access_token: string; token_type: string; refresh_token?: string };
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.access_token).toMatch(/^sk-or-v1-/);
    expect(tokens.refresh_token).toBeUndefined();
    secrets.push(tokens.access_token);

    const keyInfo = await fetch(`${standIn.apiBase}/key`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(((await keyInfo.json()) as { data: { limit: number } }).data.limit).toBe(5);

    const call = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "hi" } }),
      {
        key: tokens.access_token,
        accept: "application/json",
      },
    );
    expect(call.status).toBe(200);
    expect(((await call.json()) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe(
      "Echo: hi",
    );

    // Replaying the code fails, and so does the key exchange for a wrong verifier.
    const replay = await exchangeCode(origin, { grant_type: "authorization_code", code, code_verifier: verifier });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a wrong verifier with invalid_grant, and the code is burnt", async () => {
    const browser = new TestBrowser();
    const { verifier, challenge } = await pkcePair();
    const wrong = await pkcePair();
    secrets.push(verifier, wrong.verifier);
    const dance = await walkConsent(
      browser,
      authorizeUrl(origin, standardParams(clientId, REDIRECT, challenge, origin)),
    );
    const code = dance.final.searchParams.get("code")!;
    secrets.push(code);
    const bad = await exchangeCode(origin, { grant_type: "authorization_code", code, code_verifier: wrong.verifier });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_grant" });
    const late = await exchangeCode(origin, { grant_type: "authorization_code", code, code_verifier: verifier });
    expect(await late.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("accepts a loopback redirect on another port (RFC 8252) and omits state when the client sent none", async () => {
    const browser = new TestBrowser();
    const { challenge } = await pkcePair();
    const params = {
      ...standardParams(clientId, "http://127.0.0.1:50123/callback", challenge, origin),
      state: undefined,
    };
    const consent = await browser.request(authorizeUrl(origin, params));
    expect(consent.status).toBe(200);
    expect(await consent.text()).toMatch(/program on this computer/);
    const dance = await walkConsent(browser, authorizeUrl(origin, params));
    expect(dance.final.origin).toBe("http://127.0.0.1:50123");
    expect(dance.final.searchParams.has("state")).toBe(false);
    expect(dance.final.searchParams.get("code")).toBeTruthy();
  });
});

describe("/authorize refuses", () => {
  async function expectPage(url: string, pattern: RegExp) {
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("Location")).toBeNull();
    expect(res.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(await res.text()).toMatch(pattern);
  }

  /** RFC 9700 §4.11.2: before the person approved, an error is never a redirect to the client. */
  async function expectNoRedirect(url: string, error: string) {
    await expectPage(url, new RegExp(`\\(${error}\\)`));
  }

  it("an unregistered redirect URI, on a page and never by redirect", async () => {
    const { challenge } = await pkcePair();
    for (const redirect of [
      "https://evil.example/callback",
      "https://client.example/oauth/callback/../../evil",
      "https://client.example/oauth/callback?x=1",
      "https://client.example.evil.example/oauth/callback",
      "http://client.example/oauth/callback",
      "http://localhost:33418/callback", // loopback port freedom keeps the host
    ]) {
      await expectPage(
        authorizeUrl(origin, standardParams(clientId, redirect, challenge, origin)),
        /not one this client registered/,
      );
    }
  });

  it("an unknown, damaged or forged-but-invalid client_id, on a page", async () => {
    const { challenge } = await pkcePair();
    const forged = `mcp1.${Buffer.from(JSON.stringify({ r: ["javascript:alert(1)"] })).toString("base64url")}`;
    for (const id of ["nobody", "mcp1.!!!", forged, "http://client.example/meta.json"]) {
      await expectPage(authorizeUrl(origin, standardParams(id, REDIRECT, challenge, origin)), /client/i);
    }
    await expectPage(
      authorizeUrl(origin, { ...standardParams(clientId, REDIRECT, challenge, origin), client_id: undefined }),
      /client_id/,
    );
  });

  it("a request without PKCE, with plain, or with a malformed challenge, on a page (no redirect before consent)", async () => {
    const { challenge } = await pkcePair();
    const base = standardParams(clientId, REDIRECT, challenge, origin);
    await expectNoRedirect(
      authorizeUrl(origin, { ...base, code_challenge: undefined, code_challenge_method: undefined }),
      "invalid_request",
    );
    await expectNoRedirect(authorizeUrl(origin, { ...base, code_challenge_method: "plain" }), "invalid_request");
    await expectNoRedirect(authorizeUrl(origin, { ...base, code_challenge_method: undefined }), "invalid_request");
    await expectNoRedirect(authorizeUrl(origin, { ...base, code_challenge: "short" }), "invalid_request");
  });

  it("other response types and other resources", async () => {
    const { challenge } = await pkcePair();
    const base = standardParams(clientId, REDIRECT, challenge, origin);
    await expectNoRedirect(authorizeUrl(origin, { ...base, response_type: "token" }), "unsupported_response_type");
    await expectNoRedirect(authorizeUrl(origin, { ...base, resource: "https://other.example/mcp" }), "invalid_target");
    // Upper-case scheme and host still name us.
    const upper = await fetch(authorizeUrl(origin, { ...base, resource: `${origin.toUpperCase()}/mcp` }), {
      redirect: "manual",
    });
    expect(upper.status).toBe(200);
  });

  it("any error, for a client whose redirect URI is a phishing page, on our page: no open redirector", async () => {
    const phishing = await registeredClientId(origin, ["https://evil.example/phish"], "Phisher");
    const { challenge } = await pkcePair();
    const base = standardParams(phishing, "https://evil.example/phish", challenge, origin);
    for (const params of [
      { ...base, response_type: "token" },
      { ...base, code_challenge: undefined, code_challenge_method: undefined },
      { ...base, code_challenge_method: "plain" },
      { ...base, resource: "https://other.example/mcp" },
    ]) {
      const res = await fetch(authorizeUrl(origin, params), { redirect: "manual" });
      expect(res.status).toBe(400);
      expect(res.headers.get("Location")).toBeNull();
      expect(await res.text()).not.toContain("evil.example");
    }
  });

  it("a repeated parameter", async () => {
    const { challenge } = await pkcePair();
    const url = `${authorizeUrl(origin, standardParams(clientId, REDIRECT, challenge, origin))}&code_challenge=${challenge}`;
    await expectNoRedirect(url, "invalid_request");
  });
});

describe("the consent POST", () => {
  async function openConsent() {
    const browser = new TestBrowser();
    const { challenge } = await pkcePair();
    const url = authorizeUrl(origin, standardParams(clientId, REDIRECT, challenge, origin));
    const page = await browser.request(url);
    return { browser, url, html: await page.text() };
  }

  it("Deny sends access_denied with the state", async () => {
    const { browser, url, html } = await openConsent();
    const res = await browser.submitForm(url, html, { action: "deny" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("Location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("st-123");
  });

  it("refuses a cross-site POST, one without the cookie, and one with another token", async () => {
    const { browser, url, html } = await openConsent();
    const crossSite = await browser.submitForm(url, html, { action: "approve" }, { Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("Location")).toBeNull();
    const nullOrigin = await browser.submitForm(url, html, { action: "approve" }, { Origin: "null" });
    expect(nullOrigin.status).toBe(403);

    const stranger = new TestBrowser(); // the attacker's page posts the form, but the victim's browser has no cookie
    const noCookie = await stranger.submitForm(url, html, { action: "approve" });
    expect(noCookie.status).toBe(403);

    const mixed = await browser.submitForm(url, html, { action: "approve", csrf_token: "A".repeat(32) });
    expect(mixed.status).toBe(403);
  });

  it("checks the request again: a tampered redirect URI in the form is refused", async () => {
    const { browser, url, html } = await openConsent();
    const res = await browser.submitForm(url, html, { action: "approve", redirect_uri: "https://evil.example/cb" });
    expect(res.status).toBe(400);
    expect(res.headers.get("Location")).toBeNull();
  });

  it("sets the CSRF cookie HttpOnly and SameSite=Strict", async () => {
    const { browser } = await openConsent();
    const line = browser.setCookieHeaders.find((l) => l.startsWith("mcp_csrf="))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Strict/);
  });
});

describe("logs", () => {
  it("never contain a code, a verifier or a key", () => {
    for (const { code, verifier } of keysIssued()) secrets.push(code, verifier);
    expect(secrets.length).toBeGreaterThan(5);
    const logs = worker.logs().join("\n");
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
