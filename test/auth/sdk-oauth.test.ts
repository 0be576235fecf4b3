// The official SDK client's own OAuth: discovery from the bare /mcp URL, registration (dynamic,
// or a Client ID Metadata Document), PKCE, the token, then the tool call with the new key.
import { auth, UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { Response as MiniflareResponse } from "miniflare";
import { describe, expect, it } from "vitest";
import { TestBrowser } from "../support/browser.js";
import { walkConsent } from "../support/oauth.js";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";

const REDIRECT = "http://127.0.0.1:41999/oauth/callback";
const METADATA_URL = "https://sdk-client.example/oauth/client.json";

/** Keeps everything in memory, as a desktop client would keep it on disk. */
class MemoryProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;
  constructor(readonly clientMetadataUrl?: string) {}
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "SDK Test Client",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  state() {
    return "sdk-state-42";
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

const { standIn, worker } = useWorkerWithStandIn(
  {},
  {
    outbound: (request) =>
      request.url === METADATA_URL
        ? new MiniflareResponse(JSON.stringify({ client_id: METADATA_URL, client_name: "SDK Test Client (CIMD)", redirect_uris: [REDIRECT] }), {
            headers: { "Content-Type": "application/json" },
          })
        : undefined,
  },
);
const onConnect = useWorker({ AUTH_ON_CONNECT: "true" }, { standIn });

/** Plays the person: both consent pages, then returns the code the client's redirect URI receives. */
async function personApproves(provider: MemoryProvider): Promise<string> {
  expect(provider.authorizationUrl).toBeDefined();
  const dance = await walkConsent(new TestBrowser(), provider.authorizationUrl!.href, { limit: "2" });
  expect(dance.final.origin + dance.final.pathname).toBe(REDIRECT);
  expect(dance.final.searchParams.get("state")).toBe("sdk-state-42");
  expect(dance.final.searchParams.get("iss")).toBe(worker.origin);
  return dance.final.searchParams.get("code")!;
}

async function callTool(provider: MemoryProvider) {
  const client = new Client({ name: "sdk-oauth-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(worker.mcpUrl), { authProvider: provider }));
  try {
    return await client.callTool({ name: "chat_completion", arguments: { prompt: "logged in" } });
  } finally {
    await client.close();
  }
}

describe("the SDK client's OAuth", () => {
  it("auth() discovers, registers dynamically, and finishAuth's exchange yields a working key", async () => {
    const provider = new MemoryProvider();
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

  it("starts from the bare /mcp URL: the 401 on tools/call runs auth(), then finishAuth and the call succeeds", async () => {
    const provider = new MemoryProvider();
    const client = new Client({ name: "sdk-oauth-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(worker.mcpUrl), { authProvider: provider });
    await client.connect(transport); // initialize needs no token
    await expect(client.callTool({ name: "chat_completion", arguments: { prompt: "x" } })).rejects.toBeInstanceOf(UnauthorizedError);
    const code = await personApproves(provider);
    await transport.finishAuth(code);
    await client.close();

    const result = await callTool(provider);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("with AUTH_ON_CONNECT, logs in when connecting, as clients that only log in then expect", async () => {
    const provider = new MemoryProvider();
    const transport = new StreamableHTTPClientTransport(new URL(onConnect.mcpUrl), { authProvider: provider });
    await expect(new Client({ name: "sdk-oauth-test", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.origin).toBe(onConnect.origin);
    const dance = await walkConsent(new TestBrowser(), provider.authorizationUrl!.href, { limit: "2" });
    await transport.finishAuth(dance.final.searchParams.get("code")!);

    const client = new Client({ name: "sdk-oauth-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(onConnect.mcpUrl), { authProvider: provider }));
    try {
      const result = await client.callTool({ name: "chat_completion", arguments: { prompt: "logged in" } });
      expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
    } finally {
      await client.close();
    }
  });

  it("uses a Client ID Metadata Document when the client has one", async () => {
    const provider = new MemoryProvider(METADATA_URL);
    expect(await auth(provider, { serverUrl: worker.mcpUrl })).toBe("REDIRECT");
    expect(provider.info?.client_id).toBe(METADATA_URL);
    expect(provider.authorizationUrl!.searchParams.get("client_id")).toBe(METADATA_URL);
    const code = await personApproves(provider);
    expect(await auth(provider, { serverUrl: worker.mcpUrl, authorizationCode: code })).toBe("AUTHORIZED");
    const result = await callTool(provider);
    expect(result.content).toEqual([{ type: "text", text: "Echo: logged in" }]);
  });

  it("logs in again when OpenRouter rejects the key it holds", async () => {
    const provider = new MemoryProvider();
    provider.saved = { access_token: "sk-or-v1-revoked", token_type: "Bearer" };
    await expect(callTool(provider)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.pathname).toBe("/authorize");
  });
});
