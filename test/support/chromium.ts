// Debian's Chromium driven by playwright-core. CI installs it (.ci/run); without it the
// browser tests are skipped with a message saying so.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(`Skipping the Chromium tests: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does this).`);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
