// How long sealed tokens last (auth/token.ts, auth/sealed.ts), on a fake clock: /register, /token
// and /mcp run in Node with a fake OpenRouter (fetch), and time moves only when a test says so.
// Each token is tried the last millisecond it should work and the first it should not, with no
// real waiting and no expired token forged by hand.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleRegister } from "../../src/auth/register.js";
import { handleToken } from "../../src/auth/token.js";
import { readConfig, type Config, type WorkerContext } from "../../src/config.js";
import { handleMcpRequest } from "../../src/transport/streamable-http.js";
import { FakeClock } from "../support/fake-clock.js";
import { unitWorker } from "../support/worker-context.js";

const ORIGIN = "http://localhost:8787";
const OPENROUTER = "http://openrouter.test/api/v1";
const KEY = "sk-or-v1-token-lifetimes";
const SECOND = 1000;

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/** Every path the fake OpenRouter was asked for, in order. */
let asked: string[];

/** OpenRouter as the token endpoint needs it: any code becomes KEY, and KEY is a key it accepts. */
beforeEach(() => {
  asked = [];
  vi.stubGlobal("fetch", async (input: string | URL | Request) => {
    const path = new URL(input instanceof Request ? input.url : input).pathname.slice(
      new URL(OPENROUTER).pathname.length,
    );
    asked.push(path);
    if (path === "/auth/keys") return Response.json({ key: KEY });
    if (path === "/key") return Response.json({ data: { label: "k", limit: null, usage: 0 } });
    return new Response("not in this test", { status: 500 });
  });
});

afterEach(() => vi.unstubAllGlobals());

function configWith(vars: Record<string, string>): Config {
  return readConfig({ OPENROUTER_BASE_URL: OPENROUTER, TOKEN_SECRET: randomBytes(32).toString("base64url"), ...vars });
}

function workerOn(clock: FakeClock): WorkerContext {
  return unitWorker(clock);
}

async function register(
  config: Config,
  worker: WorkerContext,
): Promise<{ client_id: string; client_id_issued_at: number }> {
  const request = new Request(`${ORIGIN}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ redirect_uris: ["http://127.0.0.1:41998/cb"] }),
  });
  const res = await handleRegister(request, config, worker);
  expect(res.status).toBe(201);
  return (await res.json()) as { client_id: string; client_id_issued_at: number };
}

function tokenRequest(fields: Record<string, string>): Request {
  return new Request(`${ORIGIN}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

async function logIn(config: Config, worker: WorkerContext, clientId: string): Promise<Tokens> {
  const fields = { grant_type: "authorization_code", code: "code", code_verifier: "v".repeat(43), client_id: clientId };
  const res = await handleToken(tokenRequest(fields), config, worker);
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

function refresh(config: Config, worker: WorkerContext, clientId: string, refreshToken: string): Promise<Response> {
  return handleToken(
    tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId }),
    config,
    worker,
  );
}

function mcp(
  config: Config,
  worker: WorkerContext,
  accessToken: string,
  method: string,
  params?: object,
): Promise<Response> {
  const request = new Request(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      Authorization: `Bearer ${accessToken}`,
      "MCP-Protocol-Version": "2025-11-25",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return handleMcpRequest(request, config, worker);
}

function expectExpiredAccessToken(res: Response): void {
  expect(res.status).toBe(401);
  expect(res.headers.get("WWW-Authenticate")).toMatch(
    /error="invalid_token", error_description="The access token expired"/,
  );
}

async function expectExpiredRefreshToken(res: Response): Promise<void> {
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({
    error: "invalid_grant",
    error_description: "The refresh token expired: log in again.",
  });
}

describe.each([
  ["the default lifetimes (access token an hour, login 30 days)", {}, 3600, 30 * 24 * 3600],
  [
    "ACCESS_TOKEN_TTL_SECONDS=120 and REFRESH_TOKEN_TTL_SECONDS=600",
    { ACCESS_TOKEN_TTL_SECONDS: "120", REFRESH_TOKEN_TTL_SECONDS: "600" },
    120,
    600,
  ],
])("sealed tokens with %s", (_, vars, accessSeconds, loginSeconds) => {
  it("/mcp takes an access token until the last millisecond of its lifetime, then refuses it as expired, on every request", async () => {
    const clock = new FakeClock();
    const config = configWith(vars);
    const worker = workerOn(clock);
    const tokens = await logIn(config, worker, (await register(config, worker)).client_id);
    expect(tokens.expires_in).toBe(accessSeconds);

    await clock.advance(accessSeconds * SECOND - 1);
    expect((await mcp(config, worker, tokens.access_token, "tools/list")).status).toBe(200);

    await clock.advance(1);
    expectExpiredAccessToken(await mcp(config, worker, tokens.access_token, "tools/list"));
    expectExpiredAccessToken(
      await mcp(config, worker, tokens.access_token, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x" },
      }),
    );
    // Refused here: the key inside never went to OpenRouter.
    expect(asked).toEqual(["/auth/keys"]);
  });

  it("a refresh token renews the login until its last millisecond, never past it, then is refused as expired", async () => {
    const clock = new FakeClock();
    const config = configWith(vars);
    const worker = workerOn(clock);
    const { client_id: clientId } = await register(config, worker);
    const first = await logIn(config, worker, clientId);

    // Half a minute before the login ends, a renewed access token lasts that half minute only.
    await clock.advance((loginSeconds - 30) * SECOND);
    const nearEnd = await refresh(config, worker, clientId, first.refresh_token);
    expect(nearEnd.status).toBe(200);
    const renewed = (await nearEnd.json()) as Tokens;
    expect(renewed.expires_in).toBe(30);

    await clock.advance(30 * SECOND - 1);
    const lastMoment = await refresh(config, worker, clientId, first.refresh_token);
    expect(lastMoment.status).toBe(200);
    expect(((await lastMoment.json()) as Tokens).expires_in).toBe(1);

    // The first refresh token and the one renewed from it end together: refreshing never extends a login.
    await clock.advance(1);
    await expectExpiredRefreshToken(await refresh(config, worker, clientId, first.refresh_token));
    await expectExpiredRefreshToken(await refresh(config, worker, clientId, renewed.refresh_token));
  });
});

describe("/register", () => {
  it("says when the client_id was issued, in seconds on the Worker's clock", async () => {
    const clock = new FakeClock(Date.UTC(2027, 0, 1, 12, 0, 0, 750));
    const registered = await register(configWith({}), workerOn(clock));
    expect(registered.client_id_issued_at).toBe(Date.UTC(2027, 0, 1, 12) / SECOND);
  });
});
