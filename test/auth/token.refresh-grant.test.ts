// grant_type=refresh_token (auth/token.ts, RFC 6749 §6): a sealed refresh token renews the access
// token for the client it was issued to, on this server, while OpenRouter still accepts the key
// inside; when OpenRouter cannot be asked, nothing is minted and the refresh token stays valid.
// Its expiry is tried on a fake clock: token.lifetimes.unit.test.ts.
import { Response as MiniflareResponse } from "miniflare";
import { describe, expect, it } from "vitest";
import { clientDigest, unseal } from "../../src/auth/sealed.js";
import { REVOKED_KEY } from "../../stand-in/openrouter.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { registeredClientId } from "../support/oauth.js";
import {
  REDIRECT,
  callTool,
  expectEcho,
  expectGrantError,
  logIn,
  newSecret,
  refresh,
  sealedFor,
  type Tokens,
} from "../support/sealed-tokens.js";
import { noteSecret } from "../support/secret-ledger.js";

const SECRET = newSecret();
const standIn = useStandIn();
const worker = useWorker({ TOKEN_SECRET: SECRET }, { standIn });

describe("grant_type=refresh_token", () => {
  it("renews both tokens for the same key; the login keeps its end date", async () => {
    const { clientId, tokens } = await logIn(worker);
    const res = await refresh(worker, {
      refresh_token: tokens.refresh_token,
      client_id: clientId,
      resource: worker.mcpUrl,
    });
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
    expect(
      first.ok && second.ok && second.contents.e === first.contents.e && second.contents.k === first.contents.k,
    ).toBe(true);
    await expectEcho(await callTool(worker, renewed.access_token));
  });

  it("refuses an access token presented as a refresh token", async () => {
    const { clientId, tokens } = await logIn(worker);
    await expectGrantError(
      await refresh(worker, { refresh_token: tokens.access_token, client_id: clientId }),
      "invalid_grant",
    );
    await expectGrantError(
      await refresh(worker, { refresh_token: tokens.access_token.replace("mcp_at.", "mcp_rt."), client_id: clientId }),
      "invalid_grant",
    );
  });

  it("refuses a refresh token presented by another client", async () => {
    const { tokens } = await logIn(worker);
    const other = await registeredClientId(worker.origin, ["http://127.0.0.1:41997/other"], "Other");
    await expectGrantError(
      await refresh(worker, { refresh_token: tokens.refresh_token, client_id: other }),
      "invalid_grant",
      /another client/,
    );
  });

  it("refuses a refresh token for another issuer, one for another resource, and a missing one", async () => {
    const client = await registeredClientId(worker.origin, [REDIRECT]);
    const c = await clientDigest(client);
    const elsewhere = await sealedFor(SECRET, "refresh", { a: "https://other.example", c });
    await expectGrantError(await refresh(worker, { refresh_token: elsewhere, client_id: client }), "invalid_grant");
    const good = await sealedFor(SECRET, "refresh", { a: worker.origin, c });
    await expectGrantError(
      await refresh(worker, { refresh_token: good, client_id: client, resource: "https://other.example/mcp" }),
      "invalid_target",
    );
    await expectGrantError(await refresh(worker, { client_id: client }), "invalid_request");
    expect((await refresh(worker, { refresh_token: good, client_id: client })).status).toBe(200);
  });

  it("ends the login when OpenRouter no longer accepts the key inside", async () => {
    const client = await registeredClientId(worker.origin, [REDIRECT]);
    const revoked = await sealedFor(SECRET, "refresh", {
      a: worker.origin,
      c: await clientDigest(client),
      k: REVOKED_KEY,
    });
    await expectGrantError(
      await refresh(worker, { refresh_token: revoked, client_id: client }),
      "invalid_grant",
      /OpenRouter/,
    );
  });
});

describe("grant_type=refresh_token when OpenRouter cannot be asked whether the key still works", () => {
  /** How OpenRouter answers the Worker's GET /key: as the stand-in does, unless a test says otherwise. */
  let keyCheck: (() => MiniflareResponse) | undefined;
  const flaky = useWorker(
    { TOKEN_SECRET: SECRET },
    {
      standIn,
      outbound: (request) => (keyCheck && new URL(request.url).pathname === "/api/v1/key" ? keyCheck() : undefined),
    },
  );

  it.each([
    [
      "rate limited",
      () => new MiniflareResponse('{"error":{"code":429}}', { status: 429, headers: { "Retry-After": "7" } }),
      "7",
    ],
    ["failing", () => new MiniflareResponse("Bad gateway", { status: 502 }), null],
    [
      "unreachable",
      () => {
        throw new Error("connection refused");
      },
      null,
    ],
    ["answering something else", () => new MiniflareResponse("<html>maintenance</html>"), null],
  ] as const)(
    "answers 503 temporarily_unavailable while OpenRouter is %s, minting nothing; the refresh token works once it answers",
    async (_, answer, retryAfter) => {
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
        expect(body).toEqual({
          error: "temporarily_unavailable",
          error_description: expect.stringMatching(/OpenRouter could not be asked.*refresh token stays valid/),
        });
      } finally {
        keyCheck = undefined;
      }
      const later = await refresh(flaky, { refresh_token: token, client_id: client });
      expect(later.status).toBe(200);
      noteSecret("token", ((await later.json()) as Tokens).access_token);
    },
  );

  it("still ends the login when OpenRouter rejects the key (401 or 403)", async () => {
    const client = await registeredClientId(flaky.origin, [REDIRECT]);
    const token = await sealedFor(SECRET, "refresh", { a: flaky.origin, c: await clientDigest(client) });
    for (const status of [401, 403]) {
      keyCheck = () => new MiniflareResponse('{"error":{"code":401}}', { status });
      try {
        await expectGrantError(
          await refresh(flaky, { refresh_token: token, client_id: client }),
          "invalid_grant",
          /OpenRouter no longer accepts/,
        );
      } finally {
        keyCheck = undefined;
      }
    }
  });
});
