// With TOKEN_SECRET, /token issues sealed tokens (auth/token.ts, auth/sealed.ts): the key encrypted
// with its audience, client and expiry instead of the OpenRouter key; their lifetimes; rotating or
// removing the secret logs everyone out; without it, nothing sealed is taken or advertised.
// Accepting them at /mcp is test/transport/bearer.sealed.test.ts; refreshing, token.refresh-grant.test.ts;
// each lifetime to the millisecond, on a fake clock, token.lifetimes.unit.test.ts.
import { describe, expect, it } from "vitest";
import { clientDigest, nowSeconds, unseal, type SealedContents } from "../../src/auth/sealed.js";
import { pkcePair, TestBrowser } from "../support/browser.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { exchangeCode } from "../support/oauth.js";
import {
  REDIRECT,
  callTool,
  expectEcho,
  expectGrantError,
  expectInvalidToken,
  logIn,
  newSecret,
  refresh,
  sealedFor,
} from "../support/sealed-tokens.js";
import { noteSecret } from "../support/secret-ledger.js";
import { startWorker } from "../support/worker.js";

const SECRET = newSecret();
const standIn = useStandIn();
const worker = useWorker({ TOKEN_SECRET: SECRET }, { standIn });
const shortLived = useWorker(
  { TOKEN_SECRET: SECRET, ACCESS_TOKEN_TTL_SECONDS: "120", REFRESH_TOKEN_TTL_SECONDS: "600" },
  { standIn },
);

describe("with TOKEN_SECRET, /token issues sealed tokens", () => {
  it("the full flow yields an access token and a refresh token that are not the key, with expires_in", async () => {
    const { clientId, tokens } = await logIn(worker);
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.access_token).toMatch(/^mcp_at\.[\w-]+$/);
    expect(tokens.refresh_token).toMatch(/^mcp_rt\.[\w-]+$/);
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
    const { tokens } = await logIn(shortLived);
    expect(tokens.expires_in).toBe(120);
    const access = await unseal(SECRET, "access", tokens.access_token, shortLived.mcpUrl);
    const refreshed = await unseal(SECRET, "refresh", tokens.refresh_token, shortLived.origin);
    expect(access.ok && Math.abs(access.contents.e - nowSeconds() - 120)).toBeLessThanOrEqual(2);
    expect(refreshed.ok && Math.abs(refreshed.contents.e - nowSeconds() - 600)).toBeLessThanOrEqual(2);
  });

  it("advertises refresh_token in the metadata and in /register answers", async () => {
    const metadata = (await (await fetch(`${worker.origin}/.well-known/oauth-authorization-server`)).json()) as {
      grant_types_supported: string[];
    };
    expect(metadata.grant_types_supported).toEqual(["authorization_code", "refresh_token"]);
    const registered = await fetch(`${worker.origin}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] }),
    });
    expect(((await registered.json()) as { grant_types: string[] }).grant_types).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
  });

  it("asks for client_id at /token: the tokens are bound to it", async () => {
    const { verifier } = await pkcePair();
    await expectGrantError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code: "c", code_verifier: verifier }),
      "invalid_request",
      /client_id/,
    );
    await expectGrantError(await refresh(worker, { refresh_token: "mcp_rt.x" }), "invalid_request", /client_id/);
  });
});

describe("rotating or removing TOKEN_SECRET logs everyone out", () => {
  it("tokens and cookies from before fail at the same origin: 401 invalid_token, invalid_grant, logged out", async () => {
    const first = await startWorker({
      TOKEN_SECRET: newSecret(),
      OPENROUTER_BASE_URL: standIn.apiBase,
      OPENROUTER_AUTH_URL: standIn.authUrl,
    });
    const port = Number(new URL(first.origin).port);
    let current = first;
    try {
      const { clientId, tokens } = await logIn(first);
      const browser = new TestBrowser();
      const start = await browser.request(`${first.origin}/login`);
      const openRouter = start.headers.get("Location")!;
      const answered = await browser.submitForm(openRouter, await (await browser.request(openRouter)).text(), {
        action: "approve",
        limit: "",
      });
      await browser.request(answered.headers.get("Location")!);
      noteSecret("token", browser.cookies.get("mcp_session"));
      await expectEcho(await callTool(first, tokens.access_token));
      expect(await (await browser.request(`${first.origin}/?about`)).text()).toContain("Logged in with OpenRouter");

      for (const vars of [{ TOKEN_SECRET: newSecret() }, {}] as Record<string, string>[]) {
        await current.dispose();
        current = await startWorker(
          { ...vars, OPENROUTER_BASE_URL: standIn.apiBase, OPENROUTER_AUTH_URL: standIn.authUrl },
          { port },
        );
        expect(current.origin).toBe(first.origin);
        const before = standIn.chatRequests().length;
        // The old access token is refused without a word to OpenRouter, so MCP clients log in again.
        await expectInvalidToken(await callTool(current, tokens.access_token), standIn, before);
        if ("TOKEN_SECRET" in vars) {
          await expectGrantError(
            await refresh(current, { refresh_token: tokens.refresh_token, client_id: clientId }),
            "invalid_grant",
            /secret/,
          );
        } else {
          await expectGrantError(
            await refresh(current, { refresh_token: tokens.refresh_token, client_id: clientId }),
            "unsupported_grant_type",
          );
        }
        expect(await (await browser.request(`${current.origin}/?about`)).text()).not.toContain(
          "Logged in with OpenRouter",
        );
      }
    } finally {
      await current.dispose();
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
    const metadata = (await (await fetch(`${plain.origin}/.well-known/oauth-authorization-server`)).json()) as {
      grant_types_supported: string[];
    };
    expect(metadata.grant_types_supported).toEqual(["authorization_code"]);
  });
});
