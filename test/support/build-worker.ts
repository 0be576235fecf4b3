// Builds the Worker once per test run, exactly as `wrangler deploy` would bundle it.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BUILD_DIR = `${ROOT}dist-test`;

export default function setup(): void {
  execFileSync(`${ROOT}node_modules/.bin/wrangler`, ["deploy", "--dry-run", "--outdir", BUILD_DIR], {
    cwd: ROOT,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
}
