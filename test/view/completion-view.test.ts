// The MCP Apps view (web/view/) as hosts render it: in Chromium, inside the package's AppBridge
// host (test/support/apps-host/), which talks to the Worker's /mcp through the MCP SDK's client,
// with the stand-in OpenRouter behind it. How it follows the host's look (theme, CSS variables,
// 360 px) is in completion-view.look.test.ts.
import { describe, expect, it } from "vitest";
import { useCompletionView } from "../support/apps-host/completion-view.js";
import { hasChromium } from "../support/chromium.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

describe.skipIf(!hasChromium)("the completion view in an AppBridge host", { timeout: 90_000 }, () => {
  const { worker, standIn } = useWorkerWithStandIn();
  const { render } = useCompletionView(worker);

  it("renders a finished answer as Markdown, never the model's HTML", async () => {
    // The stand-in answers "Echo: " and the prompt: the Markdown starts on the next line.
    const prompt = [
      "Markdown:",
      "# A heading",
      "- one\n- two",
      "| a | b |\n|---|---|\n| 1 | 2 |",
      "```js\nconst x = 1 < 2;\n```",
      '<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 1"> [a link](https://example.com/docs) [bad](javascript:alert(1))',
    ].join("\n\n");
    const { page, frame, errors, record } = await render("chat_completion", { prompt });
    await frame.waitForSelector("body[data-phase=completed]");
    expect(await frame.locator("#answer h1").textContent()).toBe("A heading");
    expect(await frame.locator("#answer li").allTextContents()).toEqual(["one", "two"]);
    expect(await frame.locator("#answer table td").allTextContents()).toEqual(["1", "2"]);
    expect(await frame.locator("#answer pre code").textContent()).toBe("const x = 1 < 2;\n");
    expect(await frame.locator("#answer script, #answer img").count()).toBe(0);
    expect(await frame.locator("#answer").textContent()).toContain("<script>window.pwned = 1</script>");
    expect(await frame.evaluate(() => (window as any).pwned)).toBeUndefined();
    expect(await frame.locator("#answer a").allTextContents()).toEqual(["a link"]);
    await frame.locator("#answer a").click();
    expect(await frame.locator("#status").textContent()).toMatch(/^Done/);
    expect(await frame.locator("#usage").textContent()).toMatch(/^\d+ in · \d+ out/);
    const seen = await record();
    expect(seen.openedLinks).toEqual(["https://example.com/docs"]);
    expect(seen.cspViolations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("follows a background completion to its end, the text growing, and tells the model", async () => {
    const { page, frame, record } = await render("chat_completion", {
      prompt: "Grow",
      model: "stand-in/slow-40-100",
      background: true,
    });
    const lengths = new Set<number>();
    while ((await frame.locator("body").getAttribute("data-phase")) !== "completed") {
      lengths.add((await frame.locator("#answer").textContent())!.length);
      await page.waitForTimeout(200);
    }
    // Seen partly written at least twice before the end (each follow answers the text so far).
    expect([...lengths].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const answer = (await frame.locator("#answer").textContent())!;
    expect(answer).toContain("t39");
    await frame.waitForSelector("body[data-told-model]");
    const seen = await record();
    expect(seen.modelContext).toHaveLength(1);
    expect(JSON.stringify(seen.modelContext[0])).toContain("t39");
    await page.close();
  });

  it("Stop cancels the completion upstream", async () => {
    const before = standIn.chatRequests().length;
    const { page, frame } = await render("chat_completion", {
      prompt: "Stop me",
      model: "stand-in/slow-200-100",
      background: true,
    });
    await frame.waitForSelector("body[data-phase=writing]");
    await frame.locator("#stop").click();
    await frame.waitForSelector("body[data-phase=cancelled]");
    expect(await frame.locator("#status").textContent()).toBe("Cancelled");
    expect(await frame.locator("#error").isHidden()).toBe(true);
    const upstream = standIn.chatRequests()[before]!;
    expect(await upstream.whenClosed).toBe("client-closed");
    await page.close();
  });

  it("shows a web search's sources as links the host opens", async () => {
    const { page, frame, record } = await render("chat_completion", { prompt: "Search", web_search: true });
    await frame.waitForSelector("body[data-phase=completed]");
    const links = frame.locator("#source-list a");
    expect(await links.count()).toBe(2);
    await links.first().click();
    const seen = await record();
    expect(seen.openedLinks).toHaveLength(1);
    expect(seen.openedLinks[0]).toMatch(/^https:\/\//);
    await page.close();
  });

  it("shows a background call's 3 MB image at full size, read through the host", async () => {
    const { page, frame, record } = await render("chat_completion", {
      prompt: "Draw",
      model: "stand-in/image-1-3000",
      modalities: ["image", "text"],
      background: true,
    });
    await frame.waitForSelector("body[data-phase=completed]");
    const image = frame.locator("#images img");
    await image.waitFor();
    await frame.waitForFunction(() => (document.querySelector("#images img") as HTMLImageElement).complete);
    const { width, source } = await image.evaluate((img) => ({
      width: (img as HTMLImageElement).naturalWidth,
      source: (img as HTMLImageElement).src.length,
    }));
    expect(width).toBe(48);
    expect(source).toBeGreaterThan(4_000_000); // 3 MB as base64, whole
    expect((await record()).cspViolations).toEqual([]);
    await page.close();
  });

  it("shows several models' answers, each under its model with its cost, one failure apart", async () => {
    const models = ["openai/gpt-4o-mini", "stand-in/error-402", "anthropic/claude-haiku-4.5"];
    const { page, frame, errors } = await render("chat_completion", { prompt: "Compare", parallel_models: models });
    await frame.waitForSelector("body[data-phase=completed]");
    const sections = frame.locator("#answers .model-answer");
    expect(await sections.locator(".name").allTextContents()).toEqual(models);
    expect(await sections.nth(0).locator(".meta").textContent()).toMatch(/^\$0\.\d{6} · 2 tokens · finished$/);
    expect(await sections.nth(0).locator(".answer").textContent()).toBe("Echo: Compare");
    expect(await sections.nth(1).locator(".meta").textContent()).toBe("0 tokens · failed");
    expect(await sections.nth(1).locator(".error").textContent()).toMatch(/^Out of credits/);
    expect(await sections.nth(2).locator(".answer").textContent()).toBe("Echo: Compare");
    expect(await frame.locator("#model").textContent()).toBe("3 models");
    expect(await frame.locator("#answer").textContent()).toBe("");
    expect(await frame.locator("#usage").textContent()).toMatch(/ · \$0\.\d{6}$/);
    expect(await frame.locator("#error").isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a synthesis first, the answers it was written from below it", async () => {
    const { page, frame } = await render("chat_completion", {
      prompt: "Which?",
      parallel_models: ["openai/gpt-4o-mini", "google/gemini-2.5-flash"],
      synthesize: "openai/gpt-5",
    });
    await frame.waitForSelector("body[data-phase=completed]");
    expect(await frame.locator("#answer").textContent()).toMatch(/^Echo: 2 models answered the request above/);
    expect(await frame.locator("#model").textContent()).toBe("2 models · synthesis by openai/gpt-5");
    expect(await frame.locator("#answers .model-answer").count()).toBe(2);
    await page.close();
  });

  it("plays a spoken answer", async () => {
    const { page, frame, record } = await render("chat_completion", {
      prompt: "Say hello",
      model: "openai/gpt-4o-audio-preview",
      modalities: ["text", "audio"],
    });
    await frame.waitForSelector("body[data-phase=completed]");
    expect(await frame.locator("#answer").textContent()).toBe("Echo: Say hello");
    const player = frame.locator("#audio audio");
    await frame.waitForFunction(() => (document.querySelector("#audio audio") as HTMLAudioElement).readyState >= 1);
    // "Echo: Say hello": three words, a 60 ms tone each.
    expect(await player.evaluate((audio) => (audio as HTMLAudioElement).duration)).toBeCloseTo(0.18, 2);
    expect(await frame.locator("#audio figcaption").textContent()).toMatch(/^Spoken answer · audio\/wav, \d+ KB$/);
    expect((await record()).cspViolations).toEqual([]);
    await page.close();
  });

  it("says what to do when no provider can serve a model: when to retry, which models instead", async () => {
    const { page, frame } = await render("chat_completion", { prompt: "Hi", model: "stand-in/at-capacity" });
    await frame.waitForSelector("body[data-phase=failed]");
    expect(await frame.locator("#error").textContent()).toMatch(
      /^Every provider of "stand-in\/at-capacity" is at capacity\./,
    );
    expect(await frame.locator("#advice li").allTextContents()).toEqual([
      "Retry in 40 s.",
      "Try instead: openai/gpt-4o-mini, anthropic/claude-haiku-4.5",
    ]);
    await page.close();
  });

  it("says in words why a call failed", async () => {
    const { page, frame } = await render("chat_completion", { prompt: "Pay", model: "stand-in/error-402" });
    await frame.waitForSelector("body[data-phase=failed]");
    expect(await frame.locator("#error").textContent()).toMatch(/credits/i);
    await page.close();
  });
});
