// What wrangler.toml says about the runtime, so the tests and the bench run the Worker on the same
// compatibility date and flags that `wrangler dev` and `wrangler deploy` use (one place to change).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest wrangler.toml above this module (it also runs bundled, from .wrangler/). */
function findWranglerToml(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "wrangler.toml"))) return join(dir, "wrangler.toml");
    if (dirname(dir) === dir) throw new Error("no wrangler.toml above " + fileURLToPath(import.meta.url));
  }
}

const toml = readFileSync(findWranglerToml(), "utf8");

function topLevel(name: string): string {
  const match = new RegExp(`^${name}\\s*=\\s*(.+)$`, "m").exec(toml.split(/^\[/m)[0] ?? "");
  if (!match?.[1]) throw new Error(`wrangler.toml has no top-level ${name}`);
  return match[1].trim();
}

export const COMPATIBILITY_DATE: string = JSON.parse(topLevel("compatibility_date")) as string;
export const COMPATIBILITY_FLAGS: string[] = JSON.parse(topLevel("compatibility_flags")) as string[];
