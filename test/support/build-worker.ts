// Builds the Worker once per test run, exactly as `wrangler deploy` would bundle it.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkLedger, resetLedger } from "./secret-ledger.js";
import { readRuntimeOptions, savedRuntimeOptionsPath } from "../../scripts/wrangler-config.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BUILD_DIR = `${ROOT}dist-test`;

export default async function setup(): Promise<() => void> {
  resetLedger();
  execFileSync(`${ROOT}node_modules/.bin/wrangler`, ["deploy", "--dry-run", "--outdir", BUILD_DIR], {
    cwd: ROOT,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  writeFileSync(savedRuntimeOptionsPath(BUILD_DIR), JSON.stringify(await readRuntimeOptions()));
  return function teardown(): void {
    const report = checkLedger();
    if (report.leaks.length > 0) {
      // vitest reports an error thrown here but still exits 0: fail the run explicitly.
      process.exitCode = 1;
      throw new Error(`Secrets reached the Workers' logs: ${report.leaks.join("; ")}.`);
    }
    console.log(`secret ledger: ${report.secrets} keys, codes and verifiers, none in ${report.logLines} log lines`);
  };
}
