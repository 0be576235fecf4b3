// What wrangler.toml says about the runtime (compatibility date and flags), the bindings
// (Durable Objects, rate limits) and the static assets, in Miniflare's words, so that the tests and the bench run the
// Worker exactly as `wrangler dev` and `wrangler deploy` do, from one place.
//
// Read through wrangler's own API, which takes about 1.7 s to import: the test run reads it once
// (build-worker.ts writes it beside the bundle) and each test Worker takes it from there.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface RuntimeOptions {
  compatibilityDate: string;
  compatibilityFlags: string[];
  durableObjects: Record<string, { className: string; useSQLite?: boolean }>;
  ratelimits: Record<string, { namespace_id: string; simple: { limit: number; period?: 10 | 60 } }>;
  /** The [assets] folder and how it is served, as wrangler dev serves it. */
  assets?: { directory: string; routerConfig?: Record<string, unknown>; assetConfig?: Record<string, unknown> };
}

/** The nearest folder above this module holding wrangler.toml (it also runs bundled, from .wrangler/). */
export function projectRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "wrangler.toml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no wrangler.toml above ${fileURLToPath(import.meta.url)}`);
  }
}

/** Reads wrangler.toml through wrangler (slow: once per run). */
export async function readRuntimeOptions(): Promise<RuntimeOptions> {
  const root = projectRoot();
  const wrangler = (await import(join(root, "node_modules/wrangler/wrangler-dist/cli.js"))) as {
    unstable_getMiniflareWorkerOptions(path: string): { workerOptions: Partial<RuntimeOptions> };
  };
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  return {
    compatibilityDate: workerOptions.compatibilityDate!,
    compatibilityFlags: workerOptions.compatibilityFlags ?? [],
    durableObjects: workerOptions.durableObjects ?? {},
    ratelimits: workerOptions.ratelimits ?? {},
    ...(workerOptions.assets ? { assets: workerOptions.assets } : {}),
  };
}

/** Where build-worker.ts leaves the runtime options for the test Workers. */
export function savedRuntimeOptionsPath(buildDir: string): string {
  return join(buildDir, "runtime-options.json");
}

export function loadRuntimeOptions(buildDir: string): RuntimeOptions {
  return JSON.parse(readFileSync(savedRuntimeOptionsPath(buildDir), "utf8")) as RuntimeOptions;
}
