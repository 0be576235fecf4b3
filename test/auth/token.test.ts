// POST /token: the authorization_code grant relayed to OpenRouter's key exchange.
import { describe, expect, it } from "vitest";
import { pkcePair } from "../support/browser.js";
import { exchangeCode } from "../support/oauth.js";
import { UNREACHABLE_OPENROUTER, useWorkerWithStandIn } from "../support/fixture.js";
import { startWorker } from "../support/worker.js";

const { standIn, worker } = useWorkerWithStandIn();

/** A fresh code from the stand-in, bound to the challenge of a new verifier. */
async function freshCode(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = await pkcePair();
  const res = await fetch(
    `${standIn.authUrl}?callback_url=${encodeURIComponent("http://127.0.0.1:9/cb")}&code_challenge=${challenge}&code_challenge_method=S256&auto=approve`,
    {
      redirect: "manual",
    },
  );
  return { code: new URL(res.headers.get("Location")!).searchParams.get("code")!, verifier };
}

async function expectError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(await res.json()).toMatchObject({ error });
}

describe("POST /token", () => {
  it("turns a code and its verifier into the key, sent to OpenRouter as S256", async () => {
    const { code, verifier } = await freshCode();
    const res = await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Pragma")).toBe("no-cache");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe("Bearer");
    expect(body.access_token).toMatch(/^sk-or-v1-/);
    const sent = standIn.requests.filter((r) => r.path === "/api/v1/auth/keys").at(-1)!;
    expect(sent.body).toEqual({ code, code_verifier: verifier, code_challenge_method: "S256" });
  });

  it("refuses a wrong verifier, then the code is spent", async () => {
    const { code, verifier } = await freshCode();
    const other = await pkcePair();
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: other.verifier }),
      400,
      "invalid_grant",
    );
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: verifier }),
      400,
      "invalid_grant",
    );
  });

  it("refuses a replayed code and an unknown one", async () => {
    const { code, verifier } = await freshCode();
    expect(
      (await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: verifier })).status,
    ).toBe(200);
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: verifier }),
      400,
      "invalid_grant",
    );
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code: "made-up", code_verifier: verifier }),
      400,
      "invalid_grant",
    );
  });

  it("refuses a malformed verifier without spending the code", async () => {
    const { code, verifier } = await freshCode();
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: "too-short" }),
      400,
      "invalid_grant",
    );
    expect(
      (await exchangeCode(worker.origin, { grant_type: "authorization_code", code, code_verifier: verifier })).status,
    ).toBe(200);
  });

  it("names the grant types it does not support", async () => {
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "refresh_token", refresh_token: "x" }),
      400,
      "unsupported_grant_type",
    );
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "client_credentials" }),
      400,
      "unsupported_grant_type",
    );
  });

  it("asks for what is missing", async () => {
    const { code } = await freshCode();
    await expectError(
      await exchangeCode(worker.origin, { code, code_verifier: "x".repeat(43) }),
      400,
      "invalid_request",
    );
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code_verifier: "x".repeat(43) }),
      400,
      "invalid_request",
    );
    await expectError(
      await exchangeCode(worker.origin, { grant_type: "authorization_code", code }),
      400,
      "invalid_request",
    );
  });

  it("refuses another resource, an unknown client and a repeated parameter", async () => {
    const { code, verifier } = await freshCode();
    const base = { grant_type: "authorization_code", code, code_verifier: verifier };
    await expectError(
      await exchangeCode(worker.origin, { ...base, resource: "https://other.example/mcp" }),
      400,
      "invalid_target",
    );
    await expectError(await exchangeCode(worker.origin, { ...base, client_id: "nobody" }), 401, "invalid_client");
    const repeated = await fetch(`${worker.origin}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=authorization_code&code=${code}&code=${code}&code_verifier=${verifier}`,
    });
    await expectError(repeated, 400, "invalid_request");
  });

  it("answers invalid_client with 401 and a WWW-Authenticate challenge (RFC 6749 §5.2)", async () => {
    const { code, verifier } = await freshCode();
    const fields = { grant_type: "authorization_code", code, code_verifier: verifier, client_id: "nobody" };
    const plain = await exchangeCode(worker.origin, fields);
    expect(plain.headers.get("WWW-Authenticate")).toBe(`Basic realm="${worker.origin}/token"`);
    await expectError(plain, 401, "invalid_client");
    const tried = await fetch(`${worker.origin}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Basic bm9ib2R5Og==" },
      body: new URLSearchParams(fields),
    });
    expect(tried.status).toBe(401);
    expect(tried.headers.get("WWW-Authenticate")).toMatch(/^Basic realm=/);
    expect(tried.headers.get("Access-Control-Expose-Headers")).toMatch(/WWW-Authenticate/);
  });

  it("takes only a form POST", async () => {
    const json = await fetch(`${worker.origin}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    await expectError(json, 400, "invalid_request");
    expect((await fetch(`${worker.origin}/token`)).status).toBe(405);
  });

  it("says server_error when OpenRouter cannot be reached", async () => {
    const offline = await startWorker(UNREACHABLE_OPENROUTER);
    try {
      const { verifier } = await pkcePair();
      await expectError(
        await exchangeCode(offline.origin, { grant_type: "authorization_code", code: "abc", code_verifier: verifier }),
        502,
        "server_error",
      );
      expect(offline.logs().join("\n")).not.toContain(verifier);
    } finally {
      await offline.dispose();
    }
  });
});
