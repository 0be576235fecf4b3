// The browser's session cookie with TOKEN_SECRET (auth/browser-login.ts): the key sealed for this
// site, not the key; never a raw key, one sealed for another site, or another kind relabelled.
import { describe, expect, it } from "vitest";
import { unseal } from "../../src/auth/sealed.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { TestBrowser } from "../support/browser.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { logIn, newSecret, sealedFor } from "../support/sealed-tokens.js";
import { noteSecret } from "../support/secret-ledger.js";
import type { RunningWorker } from "../support/worker.js";

const SECRET = newSecret();
const standIn = useStandIn();
const worker = useWorker({ TOKEN_SECRET: SECRET }, { standIn });

describe("the browser session cookie", () => {
  async function browserLogIn(on: RunningWorker, browser: TestBrowser): Promise<void> {
    const start = await browser.request(`${on.origin}/login`);
    const openRouter = start.headers.get("Location")!;
    const page = await browser.request(openRouter);
    const answered = await browser.submitForm(openRouter, await page.text(), { action: "approve", limit: "4" });
    expect((await browser.request(answered.headers.get("Location")!)).status).toBe(302);
  }

  it("is sealed, not the key, and still logs in and out", async () => {
    const browser = new TestBrowser();
    await browserLogIn(worker, browser);
    const cookie = browser.cookies.get("mcp_session")!;
    noteSecret("token", cookie);
    expect(cookie).toMatch(/^mcp_s\.[\w-]+$/);
    const opened = await unseal(SECRET, "session", cookie, worker.origin);
    expect(opened.ok && opened.contents.k).toMatch(/^sk-or-v1-/);
    const home = await (await browser.request(`${worker.origin}/`)).text();
    expect(home).toContain("Logged in with OpenRouter");
    expect(home).toContain("$4.00");

    const out = await browser.request(`${worker.origin}/logout`, {
      method: "POST",
      headers: { Origin: worker.origin },
    });
    expect(out.status).toBe(303);
    expect(browser.cookies.has("mcp_session")).toBe(false);
    expect(await (await browser.request(`${worker.origin}/`)).text()).not.toContain("Logged in with OpenRouter");
  });

  it("never takes a refresh token relabelled as a session cookie: the two share an audience, only their keys differ", async () => {
    const { tokens } = await logIn(worker);
    // Both name this origin as their audience, so only the refresh token's own key keeps it out.
    const opened = await unseal(SECRET, "refresh", tokens.refresh_token, worker.origin);
    expect(opened.ok && opened.contents.a).toBe(worker.origin);
    const relabelled = tokens.refresh_token.replace("mcp_rt.", "mcp_s.");
    expect((await unseal(SECRET, "session", relabelled, worker.origin)).ok).toBe(false);
    const home = await fetch(`${worker.origin}/?about`, { headers: { Cookie: `mcp_session=${relabelled}` } });
    expect(await home.text()).not.toContain("Logged in with OpenRouter");
    // The same contents sealed as a session do log in: the refusal above is the key's doing.
    const session = await sealedFor(SECRET, "session", { a: worker.origin });
    const loggedIn = await fetch(`${worker.origin}/?about`, { headers: { Cookie: `mcp_session=${session}` } });
    expect(await loggedIn.text()).toContain("Logged in with OpenRouter");
  });

  it("counts a raw key cookie, or one sealed for another site, as logged out", async () => {
    for (const value of [
      encodeURIComponent(VALID_KEY),
      await sealedFor(SECRET, "session", { a: "http://elsewhere.example" }),
    ]) {
      const home = await fetch(`${worker.origin}/?about`, { headers: { Cookie: `mcp_session=${value}` } });
      expect(await home.text()).not.toContain("Logged in with OpenRouter");
    }
  });
});
