// TOKEN_SECRET: /token issues sealed tokens (the key encrypted with audience, client and expiry)
// instead of the OpenRouter key; refresh tokens; the sealed session cookie; every refusal.
// Tokens with other audiences or past expiry are sealed here with the Worker's own code.
import { randomBytes } from "node:crypto";
import { Response as MiniflareResponse } from "miniflare";
import { describe, expect, it } from "vitest";
import { clientDigest, nowSeconds, seal, unseal, type SealedContents, type TokenKind } from "../../src/auth/sealed.js";
import { pkcePair, TestBrowser } from "../support/browser.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { post, rpc } from "../support/http.js";
import { authorizeUrl, exchangeCode, registeredClientId, standardParams, walkConsent } from "../support/oauth.js";
import { REVOKED_KEY, VALID_KEY, type StandIn } from "../../stand-in/openrouter.js";
import { noteSecret } from "../support/secret-ledger.js";
import { startWorker, type RunningWorker } from "../support/worker.js";

const REDIRECT = "http://127.0.0.1:41998/cb";

function newSecret(): string {
  const secret = randomBytes(32).toString("base64url");
  noteSecret("token-secret", secret);
  return secret;
}

const SECRET = newSecret();
const standIn = useStandIn();
const worker = useWorker({ TOKEN_SECRET: SECRET }, { standIn });
const keysOff = useWorker({ TOKEN_SECRET: SECRET, ACCEPT_OPENROUTER_KEYS: "false" }, { standIn });
const shortLived = useWorker({ TOKEN_SECRET: SECRET, ACCESS_TOKEN_TTL_SECONDS: "120", REFRESH_TOKEN_TTL_SECONDS: "600" }, { standIn });

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/** A registered client goes through both consent pages and /token; returns its client_id and tokens. */
async function logIn(on: RunningWorker, clientId?: string): Promise<{ clientId: string; tokens: Tokens }> {
  const client = clientId ?? (await registeredClientId(on.origin, [REDIRECT]));
  const { verifier, challenge } = await pkcePair();
  const dance = await walkConsent(new TestBrowser(), authorizeUrl(on.origin, standardParams(client, REDIRECT, challenge, on.origin)));
  const res = await exchangeCode(on.origin, {
    grant_type: "authorization_code",
    code: dance.final.searchParams.get("code")!,
    code_verifier: verifier,
    client_id: client,
    redirect_uri: REDIRECT,
    resource: on.mcpUrl,
  });
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as Tokens;
  noteSecret("token", tokens.access_token);
  noteSecret("token", tokens.refresh_token);
  return { clientId: client, tokens };
}

function refresh(on: RunningWorker, fields: Record<string, string>): Promise<Response> {
  return exchangeCode(on.origin, { grant_type: "refresh_token", ...fields });
}

async function callTool(on: RunningWorker, token: string, prompt = "hi"): Promise<Response> {
  return post(on.mcpUrl, rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt } }), { key: token, accept: "application/json" });
}

async function expectEcho(res: Response, prompt = "hi") {
  expect(res.status).toBe(200);
  expect(((await res.json()) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe(`Echo: ${prompt}`);
}

/** 401 with error="invalid_token" (which sends MCP clients to refresh or log in), and no upstream call. */
async function expectInvalidToken(res: Response, standIn: StandIn, chatsBefore: number, description: RegExp = /not issued by this server/) {
  expect(res.status).toBe(401);
  const challenge = res.headers.get("WWW-Authenticate")!;
  expect(challenge).toMatch(/^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="[^"]+"$/);
  expect(challenge).toMatch(description);
  expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32001);
  expect(standIn.chatRequests().length).toBe(chatsBefore);
}

async function expectGrantError(res: Response, error: string, description?: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  if (description) expect(body.error_description).toMatch(description);
}

/** A token sealed the way the Worker seals them, with whatever contents a test needs. */
async function sealedFor(secret: string, kind: TokenKind, contents: Partial<SealedContents> & { a: string }): Promise<string> {
  const token = await seal(secret, kind, { k: VALID_KEY, e: nowSeconds() + 600, ...contents });
  noteSecret("token", token);
  return token;
}

describe("with TOKEN_SECRET, /token issues sealed tokens", () => {
  it("the full flow yields an access token and a refresh token that are not the key, with expires_in", async () => {
    const { clientId, tokens } = await logIn(worker);
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.access_token).toMatch(/^mcp_at\.[A-Za-z0-9_-]+$/);
    expect(tokens.refresh_token).toMatch(/^mcp_rt\.[A-Za-z0-9_-]+$/);
    expect(tokens.access_token).not.toContain("sk-or-");

    // Inside: the key OpenRouter issued, our /mcp as audience, the client, an hour.
    const opened = await unseal(SECRET, "access", tokens.access_token, worker.mcpUrl);
    expect(opened.ok).toBe(true);
    const contents = (opened as { contents: SealedContents }).contents;
    expect(contents.k).toMatch(/^sk-or-v1-/);
    expect(contents.c).toBe(await clientDigest(clientId));
    expect(Math.abs(contents.e - (nowSeconds() + 3600))).toBeLessThanOrEqual(2);
    const refreshContents = await unseal(SECRET, "refresh", tokens.refresh_token, worker.origin);
    expect(refreshContents.ok && refreshContents.contents.e - nowSeconds()).toBeGreaterThan(30 * 24 * 3600 - 5);

    // The tool call works, and OpenRouter receives the key itself, never our token.
    const before = standIn.chatRequests().length;
    await expectEcho(await callTool(worker, tokens.access_token));
    expect(standIn.chatRequests().length).toBe(before + 1);
    expect(standIn.chatRequests().at(-1)!.headers.authorization).toBe(`Bearer ${contents.k}`);
  });

  it("takes the lifetimes from ACCESS_TOKEN_TTL_SECONDS and REFRESH_TOKEN_TTL_SECONDS", async () => {
    const { clientId, tokens } = await logIn(shortLived);
    expect(tokens.expires_in).toBe(120);
    const access = await unseal(SECRET, "access", tokens.access_token, shortLived.mcpUrl);
    const refreshed = await unseal(SECRET, "refresh", tokens.refresh_token, shortLived.origin);
    expect(access.ok && Math.abs(access.contents.e - nowSeconds() - 120)).toBeLessThanOrEqual(2);
    expect(refreshed.ok && Math.abs(refreshed.contents.e - nowSeconds() - 600)).toBeLessThanOrEqual(2);
    // An access token never outlives the login: near its end, expires_in shrinks to what is left.
    const ending = await sealedFor(SECRET, "refresh", { a: shortLived.origin, c: await clientDigest(clientId), e: nowSeconds() + 30 });
    const res = await refresh(shortLived, { refresh_token: ending, client_id: clientId });
    const renewed = (await res.json()) as Tokens;
    noteSecret("token", renewed.access_token);
    expect(renewed.expires_in).toBeGreaterThan(25);
    expect(renewed.expires_in).toBeLessThanOrEqual(30);
  });

  it("advertises refresh_token in the metadata and in /register answers", async () => {
    const metadata = (await (await fetch(`${worker.origin}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toEqual(["authorization_code", "refresh_token"]);
    const registered = await fetch(`${worker.origin}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] }),
    });
    expect(((await registered.json()) as { grant_types: string[] }).grant_types).toEqual(["authorization_code", "refresh_token"]);
  });

  it("asks for client_id at /token: the tokens are bound to it", async () => {
    const { verifier } = await pkcePair();
    await expectGrantError(await exchangeCode(worker.origin, { grant_type: "authorization_code", code: "c", code_verifier: verifier }), "invalid_request", /client_id/);
    await expectGrantError(await refresh(worker, { refresh_token: "mcp_rt.x" }), "invalid_request", /client_id/);
  });
});

describe("/mcp accepts a sealed token only for its own audience, before expiry", () => {
  it("refuses a token sealed for another server, and takes the same one sealed for this one", async () => {
    const before = standIn.chatRequests().length;
    await expectInvalidToken(await callTool(worker, await sealedFor(SECRET, "access", { a: "https://other.example/mcp" })), standIn, before);
    // Same origin, other path: not our resource either.
    await expectInvalidToken(await callTool(worker, await sealedFor(SECRET, "access", { a: `${worker.origin}/other` })), standIn, before);
    await expectEcho(await callTool(worker, await sealedFor(SECRET, "access", { a: worker.mcpUrl })));
  });

  it("refuses an expired token with error_description saying so, on any request (so clients refresh at once)", async () => {
    const expired = await sealedFor(SECRET, "access", { a: worker.mcpUrl, e: nowSeconds() - 1 });
    const before = standIn.chatRequests().length;
    await expectInvalidToken(await callTool(worker, expired), standIn, before, /expired/);
    const listing = await post(worker.mcpUrl, rpc(2, "tools/list"), { key: expired, accept: "application/json", protocolVersion: "2025-11-25" });
    expect(listing.status).toBe(401);
    expect(listing.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("refuses a tampered token, whichever part is changed", async () => {
    const { tokens } = await logIn(worker);
    const token = tokens.access_token;
    const body = token.slice("mcp_at.".length);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const variants = [
      `mcp_at.${flip(body, 3)}`, // the IV
      `mcp_at.${flip(body, 40)}`, // the ciphertext
      `mcp_at.${flip(body, body.length - 3)}`, // the tag
      token.slice(0, -10),
      `${token}AAAA`,
      "mcp_at.",
      "mcp_at.!!!!",
    ];
    const before = standIn.chatRequests().length;
    for (const variant of variants) await expectInvalidToken(await callTool(worker, variant), standIn, before);
    await expectEcho(await callTool(worker, token));
  });

  it("refuses a refresh token or a session cookie value used as an access token", async () => {
    const { tokens } = await logIn(worker);
    const before = standIn.chatRequests().length;
    await expectInvalidToken(await callTool(worker, tokens.refresh_token), standIn, before);
    // Even relabelled as an access token: it was sealed under the refresh key.
    await expectInvalidToken(await callTool(worker, tokens.refresh_token.replace("mcp_rt.", "mcp_at.")), standIn, before);
    const session = await sealedFor(SECRET, "session", { a: worker.origin });
    await expectInvalidToken(await callTool(worker, session), standIn, before);
    await expectInvalidToken(await callTool(worker, session.replace("mcp_s.", "mcp_at.")), standIn, before);
  });
});

describe("grant_type=refresh_token", () => {
  it("renews both tokens for the same key; the login keeps its end date", async () => {
    const { clientId, tokens } = await logIn(worker);
    const res = await refresh(worker, { refresh_token: tokens.refresh_token, client_id: clientId, resource: worker.mcpUrl });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const renewed = (await res.json()) as Tokens;
    noteSecret("token", renewed.access_token);
    noteSecret("token", renewed.refresh_token);
    expect(renewed.token_type).toBe("Bearer");
    expect(renewed.expires_in).toBe(3600);
    expect(renewed.refresh_token).toMatch(/^mcp_rt\./);
    expect(renewed.refresh_token).not.toBe(tokens.refresh_token);
    const [first, second] = await Promise.all([
      unseal(SECRET, "refresh", tokens.refresh_token, worker.origin),
      unseal(SECRET, "refresh", renewed.refresh_token, worker.origin),
    ]);
    expect(first.ok && second.ok && second.contents.e === first.contents.e && second.contents.k === first.contents.k).toBe(true);
    await expectEcho(await callTool(worker, renewed.access_token));
  });

  it("refuses an access token presented as a refresh token", async () => {
    const { clientId, tokens } = await logIn(worker);
    await expectGrantError(await refresh(worker, { refresh_token: tokens.access_token, client_id: clientId }), "invalid_grant");
    await expectGrantError(await refresh(worker, { refresh_token: tokens.access_token.replace("mcp_at.", "mcp_rt."), client_id: clientId }), "invalid_grant");
  });

  it("refuses a refresh token presented by another client", async () => {
    const { tokens } = await logIn(worker);
    const other = await registeredClientId(worker.origin, ["http://127.0.0.1:41997/other"], "Other");
    await expectGrantError(await refresh(worker, { refresh_token: tokens.refresh_token, client_id: other }), "invalid_grant", /another client/);
  });

  it("refuses an expired refresh token, one for another issuer, one for another resource, and a missing one", async () => {
    const client = await registeredClientId(worker.origin, [REDIRECT]);
    const c = await clientDigest(client);
    const expired = await sealedFor(SECRET, "refresh", { a: worker.origin, c, e: nowSeconds() - 1 });
    await expectGrantError(await refresh(worker, { refresh_token: expired, client_id: client }), "invalid_grant", /expired/);
    const elsewhere = await sealedFor(SECRET, "refresh", { a: "https://other.example", c });
    await expectGrantError(await refresh(worker, { refresh_token: elsewhere, client_id: client }), "invalid_grant");
    const good = await sealedFor(SECRET, "refresh", { a: worker.origin, c });
    await expectGrantError(await refresh(worker, { refresh_token: good, client_id: client, resource: "https://other.example/mcp" }), "invalid_target");
    await expectGrantError(await refresh(worker, { client_id: client }), "invalid_request");
    expect((await refresh(worker, { refresh_token: good, client_id: client })).status).toBe(200);
  });

  it("ends the login when OpenRouter no longer accepts the key inside", async () => {
    const client = await registeredClientId(worker.origin, [REDIRECT]);
    const revoked = await sealedFor(SECRET, "refresh", { a: worker.origin, c: await clientDigest(client), k: REVOKED_KEY });
    await expectGrantError(await refresh(worker, { refresh_token: revoked, client_id: client }), "invalid_grant", /OpenRouter/);
  });
});

describe("grant_type=refresh_token when OpenRouter cannot be asked whether the key still works", () => {
  /** How OpenRouter answers the Worker's GET /key: as the stand-in does, unless a test says otherwise. */
  let keyCheck: (() => MiniflareResponse) | undefined;
  const flaky = useWorker(
    { TOKEN_SECRET: SECRET },
    { standIn, outbound: (request) => (keyCheck && new URL(request.url).pathname === "/api/v1/key" ? keyCheck() : undefined) },
  );

  it.each([
    ["rate limited", () => new MiniflareResponse('{"error":{"code":429}}', { status: 429, headers: { "Retry-After": "7" } }), "7"],
    ["failing", () => new MiniflareResponse("Bad gateway", { status: 502 }), null],
    ["unreachable", () => { throw new Error("connection refused"); }, null],
    ["answering something else", () => new MiniflareResponse("<html>maintenance</html>"), null],
  ] as const)("answers 503 temporarily_unavailable while OpenRouter is %s, minting nothing; the refresh token works once it answers", async (_, answer, retryAfter) => {
    const client = await registeredClientId(flaky.origin, [REDIRECT]);
    const token = await sealedFor(SECRET, "refresh", { a: flaky.origin, c: await clientDigest(client) });
    keyCheck = answer;
    try {
      const res = await refresh(flaky, { refresh_token: token, client_id: client });
      expect(res.status).toBe(503);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("Retry-After")).toBe(retryAfter);
      expect(res.headers.get("Access-Control-Expose-Headers")).toMatch(/Retry-After/);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ error: "temporarily_unavailable", error_description: expect.stringMatching(/OpenRouter could not be asked.*refresh token stays valid/) });
    } finally {
      keyCheck = undefined;
    }
    const later = await refresh(flaky, { refresh_token: token, client_id: client });
    expect(later.status).toBe(200);
    noteSecret("token", ((await later.json()) as Tokens).access_token);
  });

  it("still ends the login when OpenRouter rejects the key (401 or 403)", async () => {
    const client = await registeredClientId(flaky.origin, [REDIRECT]);
    const token = await sealedFor(SECRET, "refresh", { a: flaky.origin, c: await clientDigest(client) });
    for (const status of [401, 403]) {
      keyCheck = () => new MiniflareResponse('{"error":{"code":401}}', { status });
      try {
        await expectGrantError(await refresh(flaky, { refresh_token: token, client_id: client }), "invalid_grant", /OpenRouter no longer accepts/);
      } finally {
        keyCheck = undefined;
      }
    }
  });
});

describe("OpenRouter keys sent directly", () => {
  it("keep working by default", async () => {
    await expectEcho(await callTool(worker, VALID_KEY));
  });

  it("are refused with ACCEPT_OPENROUTER_KEYS=false, while sealed tokens work", async () => {
    const before = standIn.chatRequests().length;
    await expectInvalidToken(await callTool(keysOff, VALID_KEY), standIn, before, /accepts only tokens it issued/);
    const { tokens } = await logIn(keysOff);
    await expectEcho(await callTool(keysOff, tokens.access_token));
  });
});

describe("the browser session cookie", () => {
  async function browserLogIn(on: RunningWorker, browser: TestBrowser): Promise<void> {
    const start = await browser.request(`${on.origin}/login`);
    const openRouter = start.headers.get("Location")!;
    const page = await browser.request(openRouter);
    const answered = await browser.submitForm(openRouter, await page.text(), { action: "approve", limit: "4" });
    expect((await browser.request(answered.headers.get("Location")!)).status).toBe(302);
  }

  it("is sealed, not the key, and still logs in and out", async () => {
    const browser = new TestBrowser();
    await browserLogIn(worker, browser);
    const cookie = browser.cookies.get("mcp_session")!;
    noteSecret("token", cookie);
    expect(cookie).toMatch(/^mcp_s\.[A-Za-z0-9_-]+$/);
    const opened = await unseal(SECRET, "session", cookie, worker.origin);
    expect(opened.ok && opened.contents.k).toMatch(/^sk-or-v1-/);
    const home = await (await browser.request(`${worker.origin}/`)).text();
    expect(home).toContain("Logged in with OpenRouter");
    expect(home).toContain("$4.00");

    const out = await browser.request(`${worker.origin}/logout`, { method: "POST", headers: { Origin: worker.origin } });
    expect(out.status).toBe(303);
    expect(browser.cookies.has("mcp_session")).toBe(false);
    expect(await (await browser.request(`${worker.origin}/`)).text()).not.toContain("Logged in with OpenRouter");
  });

  it("never takes a refresh token relabelled as a session cookie: the two share an audience, only their keys differ", async () => {
    const { tokens } = await logIn(worker);
    // Both name this origin as their audience, so only the refresh token's own key keeps it out.
    const opened = await unseal(SECRET, "refresh", tokens.refresh_token, worker.origin);
    expect(opened.ok && opened.contents.a).toBe(worker.origin);
    const relabelled = tokens.refresh_token.replace("mcp_rt.", "mcp_s.");
    expect((await unseal(SECRET, "session", relabelled, worker.origin)).ok).toBe(false);
    const home = await fetch(`${worker.origin}/?about`, { headers: { Cookie: `mcp_session=${relabelled}` } });
    expect(await home.text()).not.toContain("Logged in with OpenRouter");
    // The same contents sealed as a session do log in: the refusal above is the key's doing.
    const session = await sealedFor(SECRET, "session", { a: worker.origin });
    const loggedIn = await fetch(`${worker.origin}/?about`, { headers: { Cookie: `mcp_session=${session}` } });
    expect(await loggedIn.text()).toContain("Logged in with OpenRouter");
  });

  it("counts a raw key cookie, or one sealed for another site, as logged out", async () => {
    for (const value of [encodeURIComponent(VALID_KEY), await sealedFor(SECRET, "session", { a: "http://elsewhere.example" })]) {
      const home = await fetch(`${worker.origin}/?about`, { headers: { Cookie: `mcp_session=${value}` } });
      expect(await home.text()).not.toContain("Logged in with OpenRouter");
    }
  });
});

describe("rotating or removing TOKEN_SECRET logs everyone out", () => {
  it("tokens and cookies from before fail at the same origin: 401 invalid_token, invalid_grant, logged out", async () => {
    const first = await startWorker({ TOKEN_SECRET: newSecret(), OPENROUTER_BASE_URL: standIn.apiBase, OPENROUTER_AUTH_URL: standIn.authUrl });
    const port = Number(new URL(first.origin).port);
    let current = first;
    try {
      const { clientId, tokens } = await logIn(first);
      const browser = new TestBrowser();
      const start = await browser.request(`${first.origin}/login`);
      const openRouter = start.headers.get("Location")!;
      const answered = await browser.submitForm(openRouter, await (await browser.request(openRouter)).text(), { action: "approve", limit: "" });
      await browser.request(answered.headers.get("Location")!);
      noteSecret("token", browser.cookies.get("mcp_session"));
      await expectEcho(await callTool(first, tokens.access_token));
      expect(await (await browser.request(`${first.origin}/?about`)).text()).toContain("Logged in with OpenRouter");

      for (const vars of [{ TOKEN_SECRET: newSecret() }, {}] as Record<string, string>[]) {
        await current.dispose();
        current = await startWorker({ ...vars, OPENROUTER_BASE_URL: standIn.apiBase, OPENROUTER_AUTH_URL: standIn.authUrl }, { port });
        expect(current.origin).toBe(first.origin);
        const before = standIn.chatRequests().length;
        // The old access token is refused without a word to OpenRouter, so MCP clients log in again.
        await expectInvalidToken(await callTool(current, tokens.access_token), standIn, before);
        if ("TOKEN_SECRET" in vars) {
          await expectGrantError(await refresh(current, { refresh_token: tokens.refresh_token, client_id: clientId }), "invalid_grant", /secret/);
        } else {
          await expectGrantError(await refresh(current, { refresh_token: tokens.refresh_token, client_id: clientId }), "unsupported_grant_type");
        }
        expect(await (await browser.request(`${current.origin}/?about`)).text()).not.toContain("Logged in with OpenRouter");
      }
    } finally {
      await current.dispose();
    }
  });
});

describe("a TOKEN_SECRET that is too short or malformed", () => {
  it.each([
    ["too short", "s3cr3t-but-only-24-chars"],
    ["with spaces", "correct horse battery staple and more words"],
    ["one repeated character", "x".repeat(40)],
    ["a repeated block", "password1234password1234password1234"],
    ["few distinct characters", `${"a".repeat(39)}b`],
    ["a numbered word", "secret01secret02secret03secret04"],
    ["a run", "abcdefghijklmnopqrstuvwxyzABCDEF0123"],
  ])("fails loudly naming TOKEN_SECRET and how to make one, never echoing it (%s)", async (_, value) => {
    const bad = await startWorker({ TOKEN_SECRET: value });
    try {
      for (const path of ["/mcp", "/token", "/"]) {
        const res = await fetch(`${bad.origin}${path}`, { method: path === "/" ? "GET" : "POST" });
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(text).toContain("TOKEN_SECRET");
        expect(text).toContain("openssl rand -base64 32");
        expect(text).not.toContain(value);
      }
      expect(bad.logs().join("\n")).not.toContain(value);
    } finally {
      await bad.dispose();
    }
  });

  it.each([
    [{ ACCEPT_OPENROUTER_KEYS: "false" }, /ACCEPT_OPENROUTER_KEYS.*TOKEN_SECRET/],
    [{ ACCEPT_OPENROUTER_KEYS: "nope", TOKEN_SECRET: SECRET }, /ACCEPT_OPENROUTER_KEYS/],
    [{ ACCESS_TOKEN_TTL_SECONDS: "an hour", TOKEN_SECRET: SECRET }, /ACCESS_TOKEN_TTL_SECONDS/],
    [{ REFRESH_TOKEN_TTL_SECONDS: "0", TOKEN_SECRET: SECRET }, /REFRESH_TOKEN_TTL_SECONDS/],
  ])("so do the variables that go with it: %j", async (vars, expected) => {
    const bad = await startWorker(vars);
    try {
      const res = await post(bad.mcpUrl, rpc(1, "ping"));
      expect(res.status).toBe(500);
      const error = ((await res.json()) as { error_description: string }).error_description;
      expect(error).toMatch(expected);
      expect(error).not.toContain(SECRET);
    } finally {
      await bad.dispose();
    }
  });
});

describe("without TOKEN_SECRET", () => {
  const plain = useWorker({}, { standIn });

  it("a sealed token is refused as invalid_token and never sent to OpenRouter as a key", async () => {
    const token = await sealedFor(SECRET, "access", { a: plain.mcpUrl });
    const before = standIn.chatRequests().length;
    const keyChecks = standIn.requests.length;
    await expectInvalidToken(await callTool(plain, token), standIn, before);
    expect(standIn.requests.length).toBe(keyChecks);
  });

  it("refresh_token stays unsupported and unadvertised", async () => {
    await expectGrantError(await refresh(plain, { refresh_token: "x", client_id: "x" }), "unsupported_grant_type");
    const metadata = (await (await fetch(`${plain.origin}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toEqual(["authorization_code"]);
  });
});
