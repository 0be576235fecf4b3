// /callback/<tx> (src/auth/callback.ts): OpenRouter's answer is forwarded only to a redirect URI
// the client allows, and only when this browser approved that exact transaction on our consent
// page; forged, altered and damaged transactions are refused on our own page. How long a
// transaction lasts is tried on a fake clock: callback.unit.test.ts.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { pkcePair, TestBrowser } from "../support/browser.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { authorizeUrl, registeredClientId, standardParams, walkConsent } from "../support/oauth.js";

const REDIRECT = "https://client.example/oauth/callback";

const { standIn, worker } = useWorkerWithStandIn();
let origin: string;
let clientId: string;

beforeAll(async () => {
  origin = worker.origin;
  clientId = await registeredClientId(origin, [REDIRECT], "Acme Agent");
});

describe("/callback forwards OpenRouter's answer", () => {
  it("passes OpenRouter's refusal on as access_denied", async () => {
    const browser = new TestBrowser();
    const { challenge } = await pkcePair();
    const dance = await walkConsent(
      browser,
      authorizeUrl(origin, standardParams(clientId, REDIRECT, challenge, origin)),
      { openRouterAction: "deny" },
    );
    expect(dance.final.searchParams.get("error")).toBe("access_denied");
    expect(dance.final.searchParams.get("state")).toBe("st-123");
    expect(dance.final.searchParams.get("iss")).toBe(origin);
  });
});

describe("/callback refuses forgeries", () => {
  const tx = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString("base64url");
  const sha = (text: string) => createHash("sha256").update(text).digest("base64url");

  it("a result of a login this browser never approved here (consent skipped at OpenRouter)", async () => {
    // The attacker registers their own client and sends the victim straight to OpenRouter,
    // with a callback to us naming that client, skipping our consent page.
    const attackerRedirect = "https://attacker.example/cb";
    const attackerClient = await registeredClientId(origin, [attackerRedirect], "Totally Legit");
    const { challenge } = await pkcePair();
    const forged = tx({ c: attackerClient, r: attackerRedirect, n: "n".repeat(22), t: Math.floor(Date.now() / 1000) });
    const victim = new TestBrowser();
    const direct = `${standIn.authUrl}?callback_url=${encodeURIComponent(`${origin}/callback/${forged}`)}&code_challenge=${challenge}&code_challenge_method=S256&auto=approve`;
    const { response, hops } = await victim.navigate(direct);
    expect(hops.at(-1)!.url).toMatch(`${origin}/callback/`);
    expect(response.status).toBe(403);
    expect(response.headers.get("Location")).toBeNull();
    const body = await response.text();
    expect(body).toMatch(/not approved/);
    expect(body).not.toMatch(/code=/);
  });

  it("a tx altered after approval (the cookie binds the exact tx)", async () => {
    const browser = new TestBrowser();
    const { challenge } = await pkcePair();
    const url = authorizeUrl(origin, standardParams(clientId, REDIRECT, challenge, origin));
    const page = await browser.request(url);
    const approved = await browser.submitForm(url, await page.text(), { action: "approve" });
    const callback = new URL(new URL(approved.headers.get("Location")!).searchParams.get("callback_url")!);
    const original = JSON.parse(Buffer.from(callback.pathname.split("/")[2]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    const attackerRedirect = "https://attacker.example/cb";
    const attackerClient = await registeredClientId(origin, [attackerRedirect]);
    const altered = tx({ ...original, c: attackerClient, r: attackerRedirect });
    const res = await browser.request(`${origin}/callback/${altered}?code=stolen`);
    expect(res.status).toBe(403);
    expect(res.headers.get("Location")).toBeNull();
  });

  it("a tx naming a redirect URI its client does not allow, even with a matching cookie", async () => {
    const forged = tx({
      c: clientId,
      r: "https://evil.example/cb",
      n: "m".repeat(22),
      t: Math.floor(Date.now() / 1000),
    });
    const res = await fetch(`${origin}/callback/${forged}?code=abc`, {
      redirect: "manual",
      headers: { Cookie: `mcp_tx_${"m".repeat(22)}=${sha(forged)}` },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("Location")).toBeNull();
  });

  it("a damaged tx", async () => {
    expect((await fetch(`${origin}/callback/not-base64-json!?code=x`, { redirect: "manual" })).status).toBe(400);
  });
});
