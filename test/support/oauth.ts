// Drives this server's OAuth flow the way a person's browser and an MCP client would.
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { expect } from "vitest";
import type { TestBrowser } from "./browser.js";

export async function registerClient(origin: string, metadata: Record<string, unknown>): Promise<Response> {
  return fetch(`${origin}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(metadata),
  });
}

/** Registers a client and returns its client_id. */
export async function registeredClientId(
  origin: string,
  redirectUris: string[],
  name = "Test Client",
): Promise<string> {
  const res = await registerClient(origin, { redirect_uris: redirectUris, client_name: name });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

export function authorizeUrl(origin: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${origin}/authorize`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

export function standardParams(
  clientId: string,
  redirectUri: string,
  challenge: string,
  origin: string,
  state = "st-123",
) {
  return {
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    resource: `${origin}/mcp`,
  };
}

export interface Dance {
  /** Where our consent approval sent the browser (OpenRouter's /auth). */
  openRouterUrl: URL;
  /** Our /callback URL that OpenRouter redirected to. */
  callbackUrl: string;
  /** Where the callback sent the browser: the client's redirect URI with code or error. */
  final: URL;
}

/** Consent on our page, then on OpenRouter's (the stand-in), then our callback. */
export async function walkConsent(
  browser: TestBrowser,
  url: string,
  options: { limit?: string; openRouterAction?: "approve" | "deny" } = {},
): Promise<Dance> {
  const consent = await browser.request(url);
  expect(consent.status).toBe(200);
  const approved = await browser.submitForm(url, await consent.text(), { action: "approve" });
  expect(approved.status).toBe(302);
  const openRouterUrl = new URL(approved.headers.get("Location")!);
  const page = await browser.request(openRouterUrl.href);
  expect(page.status).toBe(200);
  const answered = await browser.submitForm(openRouterUrl.href, await page.text(), {
    action: options.openRouterAction ?? "approve",
    limit: options.limit ?? "",
  });
  expect(answered.status).toBe(302);
  const callbackUrl = answered.headers.get("Location")!;
  const callback = await browser.request(callbackUrl);
  expect(callback.status).toBe(302);
  return { openRouterUrl, callbackUrl, final: new URL(callback.headers.get("Location")!) };
}

export async function exchangeCode(origin: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${origin}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

/** The SDK client's side of a login, kept in memory as a desktop client would keep it on disk. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  /** Where the person's browser is sent back by default (nothing listens: tests read the code off the redirect). */
  static readonly REDIRECT = "http://127.0.0.1:41999/oauth/callback";
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;
  constructor(
    readonly clientMetadataUrl?: string,
    readonly redirectUrl = MemoryOAuthProvider.REDIRECT,
  ) {}
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "SDK Test Client",
      redirect_uris: [this.redirectUrl],
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
  /** What the SDK calls when the server refuses what the client holds (invalid_grant: the tokens). */
  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery") {
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all" || scope === "client") this.info = undefined;
  }
}
