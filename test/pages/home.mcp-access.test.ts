// The playground's way into /mcp: the session cookie the landing page's login sets is taken from
// our own page only (same origin, or an origin ALLOWED_ORIGINS names), and sealed with TOKEN_SECRET.
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { logInBrowser, TestBrowser } from "../support/browser.js";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { rpc } from "../support/http.js";
import { newSecret } from "../support/sealed-tokens.js";

const { standIn, worker } = useWorkerWithStandIn();

describe("the playground's way into /mcp", () => {
  const listModels = JSON.stringify(rpc(1, "tools/call", { name: "list_models", arguments: { limit: 1 } }));
  const post = (headers: Record<string, string>) =>
    fetch(worker.mcpUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
      body: listModels,
    });

  it("takes the session cookie from our own page only", async () => {
    const browser = new TestBrowser();
    await logInBrowser(browser, worker.origin);
    const cookie = `mcp_session=${browser.cookies.get("mcp_session")}`;
    const own = await post({ Cookie: cookie, Origin: worker.origin, "Sec-Fetch-Site": "same-origin" });
    expect(own.status).toBe(200);
    expect(
      ((await own.json()) as { result: { structuredContent: { models: unknown[] } } }).result.structuredContent.models,
    ).toHaveLength(1);
    // A browser too old for Fetch Metadata still sends Origin.
    expect((await post({ Cookie: cookie, Origin: worker.origin })).status).toBe(200);

    // Without our Origin, or with Fetch Metadata saying another site sent it, the cookie counts for nothing.
    expect((await post({ Cookie: cookie })).status).toBe(401);
    expect((await post({ Cookie: cookie, Origin: worker.origin, "Sec-Fetch-Site": "same-site" })).status).toBe(401);
    expect((await post({ Cookie: cookie, Origin: worker.origin, "Sec-Fetch-Site": "cross-site" })).status).toBe(401);
    // Another site's page is refused outright, cookie or not.
    expect((await post({ Cookie: cookie, Origin: "https://evil.example" })).status).toBe(403);
  });

  describe("with ALLOWED_ORIGINS", () => {
    const allowing = useWorker({ ALLOWED_ORIGINS: "http://127.0.0.1:1" }, { standIn });

    it("lets an allowed origin call with a token, never with the cookie", async () => {
      const browser = new TestBrowser();
      await logInBrowser(browser, allowing.origin);
      const cookie = `mcp_session=${browser.cookies.get("mcp_session")}`;
      const from = (headers: Record<string, string>) =>
        fetch(allowing.mcpUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            Origin: "http://127.0.0.1:1",
            ...headers,
          },
          body: listModels,
        });
      expect((await from({ Cookie: cookie })).status).toBe(401);
      expect((await from({ Authorization: `Bearer ${VALID_KEY}` })).status).toBe(200);
    });
  });

  describe("with TOKEN_SECRET", () => {
    const sealing = useWorker({ TOKEN_SECRET: newSecret() }, { standIn });

    it("takes the sealed session cookie from our own page", async () => {
      const browser = new TestBrowser();
      await logInBrowser(browser, sealing.origin);
      const sealed = browser.cookies.get("mcp_session")!;
      expect(sealed).not.toMatch(/^sk-or-/);
      const call = (cookie: string) =>
        fetch(sealing.mcpUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            Origin: sealing.origin,
            Cookie: cookie,
          },
          body: listModels,
        });
      expect((await call(`mcp_session=${sealed}`)).status).toBe(200);
      // A raw key in the cookie is not a session this server sealed.
      expect((await call(`mcp_session=${VALID_KEY}`)).status).toBe(401);
    });
  });
});
