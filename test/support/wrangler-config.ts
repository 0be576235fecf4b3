// What wrangler.toml says about the runtime, so the tests and the bench run the Worker on the same
// compatibility date and flags that `wrangler dev` and `wrangler deploy` use (one place to change).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const toml = readFileSync(fileURLToPath(new URL("../../wrangler.toml", import.meta.url)), "utf8");

function topLevel(name: string): string {
  const match = new RegExp(`^${name}\\s*=\\s*(.+)$`, "m").exec(toml.split(/^\[/m)[0] ?? "");
  if (!match?.[1]) throw new Error(`wrangler.toml has no top-level ${name}`);
  return match[1].trim();
}

export const COMPATIBILITY_DATE: string = JSON.parse(topLevel("compatibility_date")) as string;
export const COMPATIBILITY_FLAGS: string[] = JSON.parse(topLevel("compatibility_flags")) as string[];
