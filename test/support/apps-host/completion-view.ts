// The completion view as the view tests open it: Chromium, the AppBridge host page (host.ts) and a
// Worker's /mcp behind it. The host reads the view with resources/read, as hosts do, and calls the tool.
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { DEMO_KEY } from "../../../stand-in/openrouter.js";
import { launchChromium } from "../chromium.js";
import type { RunningWorker } from "../worker.js";
import { startAppsHost, type AppsHost } from "./host.js";

/** Starts Chromium and the host page for the enclosing describe; returns how to render a call. */
export function useCompletionView(worker: RunningWorker) {
  let browser: Browser;
  let host: AppsHost;
  beforeAll(async () => {
    [browser, host] = await Promise.all([launchChromium(), startAppsHost()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  /** Opens the host page and starts it: the view renders the call the host makes. */
  async function render(tool: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(host.origin);
    void page.evaluate((run) => (window as any).host.run(run), {
      mcpUrl: worker.mcpUrl,
      key: DEMO_KEY,
      // The view's HTML as hosts get it: resources/read of the ui:// resource the tools name.
      viewUri: "ui://openrouter-mcp/completion",
      tool,
      arguments: args,
      ...extra,
    });
    const frame = await viewFrame(page);
    return { page, frame, errors, record: () => page.evaluate(() => (window as any).host.record) };
  }

  return { render };
}

/** The view's frame in the host page, once its script runs. */
async function viewFrame(page: Page): Promise<Frame> {
  const element = await page.waitForSelector("iframe");
  for (;;) {
    const frame = await element.contentFrame();
    if (frame && (await frame.locator("#answer").count()) > 0) return frame;
    await page.waitForTimeout(50);
  }
}
