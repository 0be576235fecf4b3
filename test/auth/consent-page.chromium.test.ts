// The MCP client's sign-in as a person sees it in Chromium: our consent page, OpenRouter's,
// and the redirect to the client, with the CSP form-action and cookies of a real browser.
// Also a cross-site page trying to approve on the person's behalf.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pkcePair } from "../support/browser.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { authorizeUrl, registeredClientId, standardParams } from "../support/oauth.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

const { standIn, worker } = useWorkerWithStandIn();
/**
 * The Worker as the browser reaches it: "localhost", while the stand-in OpenRouter and the other
 * server are on "127.0.0.1", another site, so cookies and Origin behave as across real sites.
 */
let site: string;
/** Plays both the MCP client's loopback redirect endpoint and an attacker's site. */
let other: Server;
let otherPort: number;
let attackerHtml = "";
beforeAll(async () => {
  site = worker.origin.replace("127.0.0.1", "localhost");
  other = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(req.url?.startsWith("/attack") ? attackerHtml : "<p>Signed in. You can close this window.</p>");
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  otherPort = (other.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => other?.close(resolve));
});

// A cold Chromium can take several seconds to start; no test here asserts anything about time.
describe.skipIf(!hasChromium)("MCP client sign-in in Chromium", { timeout: 90_000 }, () => {
  it("walks our consent and OpenRouter's back to the client's redirect URI", async () => {
    const redirect = `http://127.0.0.1:${otherPort}/callback`;
    const clientId = await registeredClientId(site, [redirect], "Chromium Client");
    const { challenge } = await pkcePair();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(authorizeUrl(site, standardParams(clientId, redirect, challenge, site, "chromium-state")));
      await expect(page.locator("h1").textContent()).resolves.toContain("Chromium Client");
      await page.getByRole("button", { name: "Continue to OpenRouter" }).click();
      await page.waitForURL((url) => url.href.startsWith(standIn.authUrl));
      await page.fill('input[name="limit"]', "1");
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.waitForURL((url) => url.href.startsWith(redirect));
      const final = new URL(page.url());
      expect(final.searchParams.get("code")).toBeTruthy();
      expect(final.searchParams.get("state")).toBe("chromium-state");
      expect(final.searchParams.get("iss")).toBe(site);
    } finally {
      await browser.close();
    }
  });

  it("Deny goes back to the client with access_denied", async () => {
    const redirect = `http://127.0.0.1:${otherPort}/callback`;
    const clientId = await registeredClientId(site, [redirect]);
    const { challenge } = await pkcePair();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(authorizeUrl(site, standardParams(clientId, redirect, challenge, site)));
      await page.getByRole("button", { name: "Deny" }).click();
      await page.waitForURL((url) => url.href.startsWith(redirect));
      expect(new URL(page.url()).searchParams.get("error")).toBe("access_denied");
    } finally {
      await browser.close();
    }
  });

  it("refuses an approval posted from another site, even after the person opened the consent page", async () => {
    const attackerRedirect = "https://attacker.example/cb";
    const clientId = await registeredClientId(site, [attackerRedirect], "Attacker");
    const { challenge } = await pkcePair();
    const fields = {
      ...standardParams(clientId, attackerRedirect, challenge, site),
      action: "approve",
      csrf_token: "guess".repeat(6),
    };
    attackerHtml = `<form method="post" action="${site}/authorize">${Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
      .join("")}</form><script>document.forms[0].submit()</script>`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      // The person has a live consent cookie from a real consent page...
      await page.goto(authorizeUrl(site, standardParams(clientId, attackerRedirect, challenge, site)));
      const openRouterVisits = standIn.requests.filter((r) => r.path === "/auth").length;
      // ...then visits the attacker's site (another site: 127.0.0.1 is not localhost).
      const answer = page.waitForResponse(
        (res) => res.url() === `${site}/authorize` && res.request().method() === "POST",
      );
      await page.goto(`http://127.0.0.1:${otherPort}/attack`);
      const response = await answer;
      expect(response.status()).toBe(403);
      expect(response.headers()["location"]).toBeUndefined();
      expect(standIn.requests.filter((r) => r.path === "/auth").length).toBe(openRouterVisits);
    } finally {
      await browser.close();
    }
  });
});
