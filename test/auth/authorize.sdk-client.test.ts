// The official SDK client's own OAuth: discovery from the bare /mcp URL (the 401 comes on
// connecting, by default), registration (dynamic, or a Client ID Metadata Document, Claude's
// shape included), PKCE, the token, then the tool call with the new key; with TOKEN_SECRET, sealed tokens
// that the client refreshes by itself when they expire.
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Response as MiniflareResponse } from "miniflare";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nowSeconds, seal, unseal } from "../../src/auth/sealed.js";
import { TestBrowser } from "../support/browser.js";
import { MemoryOAuthProvider, walkConsent } from "../support/oauth.js";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { noteSecret } from "../support/secret-ledger.js";

const REDIRECT = MemoryOAuthProvider.REDIRECT;
const METADATA_URL = "https://sdk-client.example/oauth/client.json";

/** Shaped like the document Claude (claude.ai, Claude Desktop) publishes for itself. */
const CLAUDE_CLIENT_ID = "https://claude.ai/oauth/mcp-oauth-client-metadata";
const CLAUDE_REDIRECT = "https://claude.ai/api/mcp/auth_callback";
const CLAUDE_DOCUMENT = {
  client_id: CLAUDE_CLIENT_ID,
  client_name: "Claude",
  client_uri: "https://claude.ai",
  redirect_uris: [CLAUDE_REDIRECT, "https://claude.com/api/mcp/auth_callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
};

/** The metadata documents this test serves to the Worker, as their sites would. */
const documents: Record<string, unknown> = {
  [METADATA_URL]: { client_id: METADATA_URL, client_name: "SDK Test Client (CIMD)", redirect_uris: [REDIRECT] },
  [CLAUDE_CLIENT_ID]: CLAUDE_DOCUMENT,
};
const { standIn, worker } = useWorkerWithStandIn(
  {},
  {
    outbound: (request) =>
      request.url in documents
        ? new MiniflareResponse(JSON.stringify(documents[request.url]), {
            headers: { "Content-Type": "application/json" },
          })
        : undefined,
  },
);
const openWorker = useWorker({ OPEN_DISCOVERY: "true" }, { standIn });

/** Plays the person: both consent pages, then returns the code the client's redirect URI receives. */
async function personApproves(provider: MemoryOAuthProvider, issuer = worker.origin): Promise<string> {
  expect(provider.authorizationUrl).toBeDefined();
  const dance = await walkConsent(new TestBrowser(), provider.authorizationUrl!.href, { limit: "2" });
  expect(dance.final.origin + dance.final.pathname).toBe(provider.redirectUrl);
  expect(dance.final.searchParams.get("state")).toBe("sdk-state-42");
  expect(dance.final.searchParams.get("iss")).toBe(issuer);
  return dance.final.searchParams.get("code")!;
}

async function callTool(provider: MemoryOAuthProvider, url = worker.mcpUrl) {
  const client = new Client({ name: "sdk-oauth-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  try {
    return await client.callTool({ name: "chat_completion", arguments: { prompt: "logged in" } });
  } finally {
    await client.close();
  }
}

describe("the SDK client's OAuth", () => {
  it("auth() discovers, registers dynamically, and finishAuth's exchange yields a working key", async () => {
    const provider = new MemoryOAuthProvider();
    expect(await auth(provider, { serverUrl: worker.mcpUrl })).toBe("REDIRECT");
    expect(provider.info?.client_id).toMatch(/^mcp1\./);
    const url = provider.authorizationUrl!;
    expect(url.origin + url.pathname).toBe(`${worker.origin}/authorize`);
    expect(url.searchParams.get("resource")).toBe(`${worker.origin}/mcp`);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");

    const code = await personApproves(provider);
    expect(await auth(provider, { serverUrl: worker.mcpUrl, authorizationCode: code })).toBe("AUTHORIZED");
    expect(provider.saved?.token_type).toMatch(/bearer/i);
    expect(provider.saved?.access_token).toMatch(/^sk-or-v1-/);

    const result = await callTool(provider);
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("starts from the bare /mcp URL: connecting gets the 401, the login runs, and the reconnected client calls the tool", async () => {
    const provider = new MemoryOAuthProvider();
    const transport = new StreamableHTTPClientTransport(new URL(worker.mcpUrl), { authProvider: provider });
    await expect(new Client({ name: "sdk-oauth-test", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(provider.authorizationUrl?.origin + provider.authorizationUrl!.pathname).toBe(`${worker.origin}/authorize`);
    await transport.finishAuth(await personApproves(provider));
    expect(provider.saved?.access_token).toMatch(/^sk-or-v1-/);

    const result = await callTool(provider);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("with OPEN_DISCOVERY, connects without a key; the 401 on tools/call runs the login", async () => {
    const provider = new MemoryOAuthProvider();
    const client = new Client({ name: "sdk-oauth-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(openWorker.mcpUrl), { authProvider: provider });
    await client.connect(transport); // initialize needs no token here
    await expect(client.callTool({ name: "chat_completion", arguments: { prompt: "x" } })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    await transport.finishAuth(await personApproves(provider, openWorker.origin));
    await client.close();

    const result = await callTool(provider, openWorker.mcpUrl);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("uses a Client ID Metadata Document when the client has one", async () => {
    const provider = new MemoryOAuthProvider(METADATA_URL);
    expect(await auth(provider, { serverUrl: worker.mcpUrl })).toBe("REDIRECT");
    expect(provider.info?.client_id).toBe(METADATA_URL);
    expect(provider.authorizationUrl!.searchParams.get("client_id")).toBe(METADATA_URL);
    const code = await personApproves(provider);
    expect(await auth(provider, { serverUrl: worker.mcpUrl, authorizationCode: code })).toBe("AUTHORIZED");
    const result = await callTool(provider);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("logs Claude in through its Client ID Metadata Document: consent, code and token, and a key named after Claude", async () => {
    const provider = new MemoryOAuthProvider(CLAUDE_CLIENT_ID, CLAUDE_REDIRECT);
    expect(await auth(provider, { serverUrl: worker.mcpUrl })).toBe("REDIRECT");
    expect(provider.info?.client_id).toBe(CLAUDE_CLIENT_ID);
    const url = provider.authorizationUrl!;
    expect(url.searchParams.get("client_id")).toBe(CLAUDE_CLIENT_ID);
    expect(url.searchParams.get("redirect_uri")).toBe(CLAUDE_REDIRECT);

    const browser = new TestBrowser();
    const consent = await browser.request(url.href);
    expect(consent.status).toBe(200);
    const page = await consent.text();
    expect(page).toContain("Claude");
    expect(page).toContain("claude.ai");
    const dance = await walkConsent(browser, url.href, { limit: "2" });
    expect(dance.openRouterUrl.searchParams.get("key_label")).toBe(`Claude via ${new URL(worker.origin).host}`);
    expect(dance.final.origin + dance.final.pathname).toBe(CLAUDE_REDIRECT);
    expect(dance.final.searchParams.get("iss")).toBe(worker.origin);

    expect(
      await auth(provider, { serverUrl: worker.mcpUrl, authorizationCode: dance.final.searchParams.get("code")! }),
    ).toBe("AUTHORIZED");
    expect(provider.saved?.access_token).toMatch(/^sk-or-v1-/);
    const result = await callTool(provider);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("logs in again when OpenRouter rejects the key it holds", async () => {
    const provider = new MemoryOAuthProvider();
    provider.saved = { access_token: "sk-or-v1-revoked", token_type: "Bearer" };
    await expect(callTool(provider)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.pathname).toBe("/authorize");
  });
});

describe("the SDK client's OAuth with TOKEN_SECRET", () => {
  const secret = randomBytes(32).toString("base64url");
  noteSecret("token-secret", secret);
  const sealing = useWorker({ TOKEN_SECRET: secret }, { standIn });

  async function logIn(): Promise<MemoryOAuthProvider> {
    const provider = new MemoryOAuthProvider();
    expect(await auth(provider, { serverUrl: sealing.mcpUrl })).toBe("REDIRECT");
    const code = await personApproves(provider, sealing.origin);
    expect(await auth(provider, { serverUrl: sealing.mcpUrl, authorizationCode: code })).toBe("AUTHORIZED");
    noteSecret("token", provider.saved?.access_token);
    noteSecret("token", provider.saved?.refresh_token);
    return provider;
  }

  it("gets sealed tokens and refreshes by itself once its access token has expired", async () => {
    const provider = await logIn();
    expect(provider.saved?.access_token).toMatch(/^mcp_at\./);
    expect(provider.saved?.refresh_token).toMatch(/^mcp_rt\./);
    expect(provider.saved?.expires_in).toBe(3600);
    expect((await callTool(provider, sealing.mcpUrl)).content).toEqual([{ type: "text", text: "Echo: logged in" }]);

    // An hour later, as far as the token is concerned: the same contents, expired a second ago.
    const held = await unseal(secret, "access", provider.saved!.access_token, sealing.mcpUrl);
    if (!held.ok) throw new Error("the client's access token does not open");
    const expired = await seal(secret, "access", { ...held.contents, e: nowSeconds() - 1 });
    noteSecret("token", expired);
    const refreshToken = provider.saved!.refresh_token;
    const loginUrl = provider.authorizationUrl;
    provider.saved = { ...provider.saved!, access_token: expired };

    const result = await callTool(provider, sealing.mcpUrl);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
    expect(provider.authorizationUrl).toBe(loginUrl); // no new login: the refresh did it
    expect(provider.saved?.access_token).not.toBe(expired);
    expect(provider.saved?.refresh_token).not.toBe(refreshToken);
    expect(provider.saved?.access_token).toMatch(/^mcp_at\./);
  });

  it("logs in again when its refresh token no longer works (the secret changed, say)", async () => {
    const provider = await logIn();
    const first = provider.authorizationUrl;
    provider.saved = { ...provider.saved!, access_token: "mcp_at.AAAA", refresh_token: "mcp_rt.AAAA" };
    await expect(callTool(provider, sealing.mcpUrl)).rejects.toBeInstanceOf(UnauthorizedError);
    // invalid_grant made it drop the tokens and start a new login.
    expect(provider.saved).toBeUndefined();
    expect(provider.authorizationUrl?.pathname).toBe("/authorize");
    expect(provider.authorizationUrl).not.toBe(first);
  });
});
