// The landing page as a person uses it, in Chromium: what the server is and how to connect, the
// login, the playground (a host of the MCP Apps view) at a desktop's and a phone's width, and
// logging out. The rules that keep the playground's way into /mcp (the session cookie) to our own
// page are in home.mcp-access.test.ts.
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { logInBrowser, TestBrowser } from "../support/browser.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { DEMO_KEY as PAGE_DEMO_KEY } from "../../src/pages/home.js";
import { DEMO_KEY } from "../../stand-in/openrouter.js";
import { rawGet } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });

const keysMade = () => standIn.requests.filter((r) => r.method === "POST" && r.path === "/api/v1/auth/keys").length;

describe("the landing page", () => {
  it("shows what the server is, how to connect and a login button, and never redirects", async () => {
    const navigation = { "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", Accept: "text/html" };
    const res = await rawGet(`${worker.origin}/`, navigation);
    expect(res.status).toBe(200);
    for (const text of [
      "chat_completion",
      "list_models",
      "get_completion",
      "MCP Tasks",
      `${worker.origin}/mcp`,
      'href="/login"',
      "Log in with OpenRouter",
    ]) {
      expect(res.body).toContain(text);
    }
    for (const client of ["Claude", "Cursor", "VS Code", "MCP Inspector"])
      expect(res.body).toContain(`<h3>${client}</h3>`);
    // Our own script and styles, nothing inline, nothing from elsewhere.
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.body).toContain('<script src="/build/playground.js" defer></script>');
    expect(res.body).not.toMatch(/<script>|<style>| on[a-z]+="/);
    const script = await fetch(`${worker.origin}/build/playground.js`);
    expect(script.headers.get("Content-Type")).toMatch(/javascript/);
    expect(script.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await script.text()).toContain('fetch("/mcp"');
    // The view it frames: the Apps spec's CSP for a view, framed by this origin only.
    const view = await fetch(`${worker.origin}/build/completion-view.html`);
    expect(view.headers.get("Content-Security-Policy")).toContain("connect-src 'none'");
    expect(view.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'self'");
  });

  it("says, on the offline demo, that OpenRouter is a stand-in and which key works", async () => {
    const res = await rawGet(`${worker.origin}/`, { Accept: "text/html" });
    const note = /<div class="box warn" id="stand-in-note">[\s\S]*?<\/div>/.exec(res.body)?.[0];
    expect(note, res.body).toBeDefined();
    expect(note).toContain(`a stand-in on this machine (<code>${new URL(standIn.apiBase).origin}</code>)`);
    // The key it names is one the stand-in accepts, as the demo prints it.
    expect(PAGE_DEMO_KEY).toBe(DEMO_KEY);
    expect(note).toContain(`<code>export OPENROUTER_API_KEY=${DEMO_KEY}</code>`);
  });

  it("has an icon of its own: /favicon.svg, which /favicon.ico redirects to", async () => {
    const res = await rawGet(`${worker.origin}/`, { Accept: "text/html" });
    expect(res.body).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    expect(String(res.headers["content-security-policy"])).toContain("img-src 'self'");
    const icon = await fetch(`${worker.origin}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("Content-Type")).toBe("image/svg+xml");
    expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Browsers ask for /favicon.ico by themselves where a page names no icon.
    const legacy = await fetch(`${worker.origin}/favicon.ico`, { redirect: "manual" });
    expect(legacy.status).toBe(301);
    expect(legacy.headers.get("Location")).toBe("/favicon.svg");
  });

  it("does not make another key for a browser that still holds one OpenRouter accepts", async () => {
    const browser = new TestBrowser();
    await logInBrowser(browser, worker.origin);
    const made = keysMade();
    const again = await browser.request(`${worker.origin}/login`);
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe("/");
    expect(keysMade()).toBe(made);
  });
});

describe("the landing page of a Worker on the real OpenRouter", () => {
  const real = useWorker();

  it("says nothing of a stand-in", async () => {
    const res = await rawGet(`${real.origin}/`, { Accept: "text/html" });
    expect(res.status).toBe(200);
    expect(res.body).not.toContain("stand-in");
    expect(res.body).not.toContain(DEMO_KEY);
  });
});

describe.skipIf(!hasChromium)("the landing page in Chromium", { timeout: 120_000 }, () => {
  // Reached as "localhost" while OpenRouter (the stand-in) is on "127.0.0.1": another site, as openrouter.ai is.
  const origin = () => worker.origin.replace("127.0.0.1", "localhost");

  for (const width of [1280, 390]) {
    it(`logs in, and the playground hosts the view: streaming, errors, Stop, images, one call at a time (${width} px)`, async () => {
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        const problems: string[] = [];
        // Errors in the console (a CSP violation, a failed script, an icon not found) are problems.
        page.on("console", (message) => {
          if (message.type() === "error") problems.push(`${message.text()} ${message.location().url}`);
        });
        page.on("pageerror", (error) => problems.push(error.message));
        const icons: number[] = [];
        page.on("response", (response) => {
          if (response.url().endsWith("/favicon.svg")) icons.push(response.status());
        });

        await page.goto(`${origin()}/`);
        expect(await page.getByRole("button", { name: "Copy" }).count()).toBeGreaterThanOrEqual(4);
        expect(await scrollsSideways(page), "the landing page scrolls sideways").toBe(false);
        await page.getByRole("link", { name: "Log in with OpenRouter" }).click();
        await page.waitForURL((url) => url.href.startsWith(standIn.authUrl));
        expect(await scrollsSideways(page), "the stand-in's consent page scrolls sideways").toBe(false);
        await page.getByRole("button", { name: "Authorize" }).click();
        await page.waitForURL(`${origin()}/`);
        await expect(page.locator("#key-label").textContent()).resolves.toBe(
          `Browser login via ${new URL(origin()).host}`,
        );
        // The model suggestions come from list_models, through /mcp with the session cookie.
        await page.waitForFunction(() => document.querySelectorAll("#models option").length > 0);
        expect(await page.locator('#models option[value="stand-in/slow-20-500"]').count()).toBe(1);

        // The answer grows as it streams (the view follows the background call), sent with Ctrl+Enter.
        await page.fill("#model", "stand-in/slow-30-100");
        await page.fill("#prompt", "Hello from the playground");
        await page.press("#prompt", "Control+Enter");
        let view = await viewOf(page);
        const lengths = new Set<number>();
        while ((await view.locator("body").getAttribute("data-phase")) !== "completed") {
          lengths.add((await view.locator("#answer").textContent())!.length);
          await page.waitForTimeout(150);
        }
        expect([...lengths].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
        expect(await view.locator("#answer").textContent()).toContain("t29");
        expect(await view.locator("#model").textContent()).toBe("stand-in/slow-30-100");
        await screenshot(page, `playground-answer-${width}`);

        // An error, styled as one and in words.
        await page.fill("#model", "stand-in/error-402");
        await page.getByRole("button", { name: "Send" }).click();
        view = await viewOf(page);
        await view.waitForSelector("body[data-phase=failed]");
        expect(await view.locator("#error").textContent()).toMatch(/credits/i);
        const [errorColour, textColour] = await view.evaluate(() => [
          getComputedStyle(document.getElementById("error")!).color,
          getComputedStyle(document.body).color,
        ]);
        expect(errorColour).not.toBe(textColour);
        await screenshot(page, `playground-error-${width}`);

        // Stop cancels the call upstream.
        const before = standIn.chatRequests().length;
        await page.fill("#model", "stand-in/slow-200-100");
        await page.getByRole("button", { name: "Send" }).click();
        view = await viewOf(page);
        await view.waitForSelector("body[data-phase=writing]");
        await view.getByRole("button", { name: "Stop" }).click();
        await view.waitForSelector("body[data-phase=cancelled]");
        expect(await standIn.chatRequests()[before]!.whenClosed).toBe("client-closed");

        // An image model with the image switch on: the image shows.
        await page.fill("#model", "stand-in/image-1-64");
        await page.check("#image");
        await page.getByRole("button", { name: "Send" }).click();
        view = await viewOf(page);
        await view.waitForSelector("body[data-phase=completed]");
        await view.waitForFunction(() => (document.querySelector("#images img") as HTMLImageElement | null)?.complete);
        expect(
          await view.locator("#images img").evaluate((img) => (img as HTMLImageElement).naturalWidth),
        ).toBeGreaterThan(0);
        await page.uncheck("#image");
        await screenshot(page, `playground-image-${width}`);

        // A second send while one runs: only the second's answer shows, and the first is stopped.
        const first = standIn.chatRequests().length;
        await page.fill("#model", "stand-in/slow-100-50");
        await page.fill("#prompt", "The first question");
        await page.getByRole("button", { name: "Send" }).click();
        await (await viewOf(page)).waitForSelector("body[data-phase=writing]");
        await page.fill("#model", "");
        await page.fill("#prompt", "The second question");
        await page.getByRole("button", { name: "Send" }).click();
        await page.waitForFunction(() => document.querySelectorAll("#call iframe").length === 1);
        view = await viewOf(page, "The second question");
        await view.waitForSelector("body[data-phase=completed]");
        const answer = (await view.locator("#answer").textContent())!;
        expect(answer).toContain("Echo: The second question");
        expect(answer).not.toMatch(/\bt\d+\b/);
        expect(await standIn.chatRequests()[first]!.whenClosed).toBe("client-closed");
        expect(problems, problems.join("\n")).toEqual([]);
        expect(icons).toContain(200);
        expect(await scrollsSideways(page), "the playground scrolls sideways").toBe(false);

        await page.getByRole("button", { name: "Log out" }).click();
        await page.waitForURL(`${origin()}/?logged_out`);
        const account = await page.locator("#account").textContent();
        expect(account).toContain("still exists at OpenRouter");
        expect(await page.locator('#account a[href="https://openrouter.ai/settings/keys"]').count()).toBe(1);
        expect((await context.cookies()).some((c) => c.name === "mcp_session")).toBe(false);
        expect(await page.locator("#try").count()).toBe(0);
      } finally {
        await browser.close();
      }
    });
  }

  it("tells the view the page's own theme, not the system's: a light page shows a light view", async () => {
    const browser = await launchChromium();
    try {
      // A system that prefers dark; the landing page declares no dark colours, so it stays light.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${origin()}/`);
      await logInInChromium(page);
      await page.fill("#prompt", "Which theme?");
      await page.press("#prompt", "Control+Enter");
      const view = await viewOf(page);
      await view.waitForSelector("body[data-phase=completed]");
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe("normal");
      expect(
        await view.evaluate(() => [
          document.documentElement.dataset.theme,
          getComputedStyle(document.body).backgroundColor,
        ]),
      ).toEqual(["light", "rgb(255, 255, 255)"]);
    } finally {
      await browser.close();
    }
  });

  /** Logs the page in through /login and the stand-in's consent page, and waits until it is back. */
  async function logInInChromium(page: Page): Promise<void> {
    await page.getByRole("link", { name: "Log in with OpenRouter" }).click();
    await page.waitForURL((url) => url.href.startsWith(standIn.authUrl));
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.waitForURL(`${origin()}/`);
  }
});

/** The playground's view of the latest call, once its script runs (and, if given, once it shows that prompt). */
async function viewOf(page: Page, prompt?: string): Promise<Frame> {
  for (;;) {
    const element = await page.waitForSelector("#call iframe");
    const frame = await element.contentFrame();
    if (frame && (await frame.locator("#answer").count()) > 0) {
      if (prompt === undefined || (await frame.locator("#prompt").textContent()) === prompt) return frame;
    }
    await page.waitForTimeout(50);
  }
}

/** Whether the page is wider than the window, so that a phone would scroll it sideways. */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** With SCREENSHOTS=<folder> (docs/apps-view.md says how), the page as it looks now. */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.SCREENSHOTS;
  if (folder) await page.locator("#playground").screenshot({ path: `${folder}/${name}.png` });
}
