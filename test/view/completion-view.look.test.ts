// The MCP Apps view follows its host's look, in Chromium inside the AppBridge host: the host
// context's theme as the host switches it, the spec's CSS variables, and a phone's 360 px.
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useCompletionView } from "../support/apps-host/completion-view.js";
import { hasChromium } from "../support/chromium.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

describe.skipIf(!hasChromium)("the completion view in its host's look", { timeout: 90_000 }, () => {
  const { worker } = useWorkerWithStandIn();
  const { render } = useCompletionView(worker);

  /** The view's look: its theme, its colour scheme, and the colours and font its text is drawn in. */
  const lookOf = (frame: Frame) =>
    frame.evaluate(() => {
      const body = getComputedStyle(document.body);
      return {
        theme: document.documentElement.dataset.theme,
        scheme: getComputedStyle(document.documentElement).colorScheme,
        background: body.backgroundColor,
        text: body.color,
        font: body.fontFamily,
      };
    });
  const changeContext = (page: Page, context: Record<string, unknown>) =>
    page.evaluate((change) => (window as any).host.changeContext(change), context);

  it("follows the host's theme, light and dark, as the host switches it", async () => {
    // A host that sends no colours: the view's own, for the theme the host context names.
    const { page, frame } = await render("chat_completion", { prompt: "Theme" }, { theme: "dark" });
    await frame.waitForSelector("body[data-phase=completed]");
    expect(await lookOf(frame)).toMatchObject({
      theme: "dark",
      scheme: "dark",
      background: "rgb(28, 28, 30)",
      text: "rgb(244, 244, 245)",
    });
    await changeContext(page, { theme: "light" });
    await frame.waitForFunction(() => document.documentElement.dataset.theme === "light");
    expect(await lookOf(frame)).toMatchObject({
      scheme: "light",
      background: "rgb(255, 255, 255)",
      text: "rgb(24, 24, 27)",
    });
    await page.close();
  });

  it("takes the host's colours and font from the spec's CSS variables, in either theme", async () => {
    const dark = {
      "--color-background-primary": "#101820",
      "--color-text-primary": "#fee715",
      "--font-sans": "Georgia, serif",
    };
    const { page, frame } = await render(
      "chat_completion",
      { prompt: "Colours", model: "stand-in/error-402" },
      { theme: "dark", styles: dark },
    );
    await frame.waitForSelector("body[data-phase=failed]");
    expect(await lookOf(frame)).toEqual({
      theme: "dark",
      scheme: "dark",
      background: "rgb(16, 24, 32)",
      text: "rgb(254, 231, 21)",
      font: "Georgia, serif",
    });
    // A host may send one value for both themes (light-dark()): the theme picks.
    await changeContext(page, {
      theme: "light",
      styles: {
        variables: {
          "--color-background-primary": "light-dark(#fafafa, #202020)",
          "--color-text-primary": "light-dark(#111111, #eeeeee)",
          "--font-sans": "Georgia, serif",
        },
      },
    });
    await frame.waitForFunction(() => document.documentElement.dataset.theme === "light");
    expect(await lookOf(frame)).toMatchObject({ background: "rgb(250, 250, 250)", text: "rgb(17, 17, 17)" });
    await changeContext(page, { theme: "dark" });
    await frame.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    expect(await lookOf(frame)).toMatchObject({ background: "rgb(32, 32, 32)", text: "rgb(238, 238, 238)" });
    // The error keeps a colour of its own against either.
    const errorColour = await frame.evaluate(() => getComputedStyle(document.getElementById("error")!).color);
    expect(errorColour).not.toBe("rgb(238, 238, 238)");
    await page.close();
  });

  describe("at 360 px", () => {
    const wide = [
      "Wide things:",
      "| " + Array.from({ length: 9 }, (_, i) => `column number ${i}`).join(" | ") + " |",
      "|" + "---|".repeat(9),
      "| " + Array.from({ length: 9 }, (_, i) => `cell ${i}`).join(" | ") + " |",
      "```\n" + "const everything = [" + "'a long line of code', ".repeat(12) + "];\n```",
      "A_word_that_never_breaks_" + "x".repeat(120) + " and `inline_code_that_never_breaks_" + "y".repeat(80) + "`",
      "[https://example.com/a/very/long/link/" + "z".repeat(100) + "](https://example.com/long)",
      "> A quote that goes on: " + "words ".repeat(40),
    ].join("\n\n");
    const calls: [string, Record<string, unknown>, string][] = [
      ["a wide Markdown answer with sources", { prompt: wide, web_search: true }, "completed"],
      [
        "several models' answers",
        {
          prompt: "Compare",
          parallel_models: ["openai/gpt-4o-mini", "stand-in/error-402", "anthropic/claude-haiku-4.5"],
        },
        "completed",
      ],
      ["an error with its advice", { prompt: "Hi", model: "stand-in/at-capacity" }, "failed"],
      ["an image", { prompt: "Draw", model: "stand-in/image-2-64", modalities: ["image", "text"] }, "completed"],
    ];
    for (const [what, args, phase] of calls) {
      it(`reads ${what} without scrolling sideways`, async () => {
        const { page, frame, errors } = await render("chat_completion", args, { width: 360 });
        await frame.waitForSelector(`body[data-phase=${phase}]`);
        const layout = await frame.evaluate(() => {
          const root = document.documentElement;
          // What sticks out past the right edge, apart from what scrolls inside its own box (code, tables).
          const outside = [...document.body.querySelectorAll("*")]
            .filter((element) => !element.closest("pre, .table"))
            .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
            .map((element) => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`);
          return {
            width: root.clientWidth,
            scrollWidth: root.scrollWidth,
            outside,
            fontSize: parseFloat(getComputedStyle(document.body).fontSize),
          };
        });
        expect(layout.width).toBe(360);
        expect(layout.outside).toEqual([]);
        expect(layout.scrollWidth).toBe(360);
        expect(layout.fontSize).toBeGreaterThanOrEqual(14);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  });
});
