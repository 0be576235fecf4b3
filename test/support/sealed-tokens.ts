// Helpers for the tests of sealed tokens (TOKEN_SECRET): logging in through both consent pages,
// refreshing, calling the tool with a token, tokens sealed with the Worker's own code, and the
// answers each refusal must have.
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { nowSeconds, seal, type SealedContents, type TokenKind } from "../../src/auth/sealed.js";
import { VALID_KEY, type StandIn } from "../../stand-in/openrouter.js";
import { pkcePair, TestBrowser } from "./browser.js";
import { post, rpc } from "./http.js";
import { authorizeUrl, exchangeCode, registeredClientId, standardParams, walkConsent } from "./oauth.js";
import { noteSecret } from "./secret-ledger.js";
import type { RunningWorker } from "./worker.js";

export const REDIRECT = "http://127.0.0.1:41998/cb";

/** A random TOKEN_SECRET, noted in the secret ledger (it must never appear in a log). */
export function newSecret(): string {
  const secret = randomBytes(32).toString("base64url");
  noteSecret("token-secret", secret);
  return secret;
}

export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/** A registered client goes through both consent pages and /token; returns its client_id and tokens. */
export async function logIn(on: RunningWorker, clientId?: string): Promise<{ clientId: string; tokens: Tokens }> {
  const client = clientId ?? (await registeredClientId(on.origin, [REDIRECT]));
  const { verifier, challenge } = await pkcePair();
  const dance = await walkConsent(
    new TestBrowser(),
    authorizeUrl(on.origin, standardParams(client, REDIRECT, challenge, on.origin)),
  );
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

export function refresh(on: RunningWorker, fields: Record<string, string>): Promise<Response> {
  return exchangeCode(on.origin, { grant_type: "refresh_token", ...fields });
}

export async function callTool(on: RunningWorker, token: string, prompt = "hi"): Promise<Response> {
  return post(on.mcpUrl, rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt } }), {
    key: token,
    accept: "application/json",
  });
}

export async function expectEcho(res: Response, prompt = "hi") {
  expect(res.status).toBe(200);
  expect(((await res.json()) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe(
    `Echo: ${prompt}`,
  );
}

/** 401 with error="invalid_token" (which sends MCP clients to refresh or log in), and no upstream call. */
export async function expectInvalidToken(
  res: Response,
  standIn: StandIn,
  chatsBefore: number,
  description: RegExp = /not issued by this server/,
) {
  expect(res.status).toBe(401);
  const challenge = res.headers.get("WWW-Authenticate")!;
  expect(challenge).toMatch(/^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="[^"]+"$/);
  expect(challenge).toMatch(description);
  expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32001);
  expect(standIn.chatRequests().length).toBe(chatsBefore);
}

export async function expectGrantError(res: Response, error: string, description?: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  if (description) expect(body.error_description).toMatch(description);
}

/** A token sealed the way the Worker seals them, with whatever contents a test needs. */
export async function sealedFor(
  secret: string,
  kind: TokenKind,
  contents: Partial<SealedContents> & { a: string },
): Promise<string> {
  const token = await seal(secret, kind, { k: VALID_KEY, e: nowSeconds() + 600, ...contents });
  noteSecret("token", token);
  return token;
}
