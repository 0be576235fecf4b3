// A Worker served alone in its own workerd (Miniflare spawns one per instance), reached by a direct
// socket, with the process's id so that its CPU and memory can be read from /proc.
import { readFileSync, writeFileSync } from "node:fs";
import type { Miniflare } from "miniflare";
import { VALID_KEY } from "../stand-in/openrouter.js";
import { loadMiniflare, QUIET, workerdPids } from "./measure.js";

export interface Runtime {
  compatibilityDate: string;
  compatibilityFlags: string[];
  durableObjects: Record<string, { className: string; useSQLite?: boolean }>;
}

/** The runtime without its Durable Objects: what a Worker that has none is served with. */
export type Compat = Pick<Runtime, "compatibilityDate" | "compatibilityFlags">;

export interface Served {
  mf: Miniflare;
  pid: number;
  url: string;
}

export async function serve(
  script: string,
  runtime: Runtime,
  bindings: Record<string, string>,
  durableObjects: Runtime["durableObjects"],
): Promise<Served> {
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  const known = workerdPids();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: script,
      compatibilityDate: runtime.compatibilityDate,
      compatibilityFlags: runtime.compatibilityFlags,
      durableObjects,
      bindings,
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      handleStructuredLogs: QUIET,
    }),
  );
  const url = (await mf.unsafeGetDirectURL()).origin;
  const pid = [...workerdPids()].find((p) => !known.has(p));
  if (pid === undefined) throw new Error("no workerd process found (this measurement reads Linux's /proc)");
  return { mf, pid, url };
}

/** A field of the process's /proc status, in KiB: VmRSS (resident now) or VmHWM (its peak). */
export function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

/** Resets the process's peak resident set (VmHWM) to what it holds now. */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** A 2025-11-25 request's headers, with the stand-in's valid key. */
export const LEGACY = {
  "Content-Type": "application/json",
  Accept: "application/json",
  "MCP-Protocol-Version": "2025-11-25",
  Authorization: `Bearer ${VALID_KEY}`,
};

/** A 2025-11-25 JSON-RPC request to the Worker's /mcp, answered as JSON. */
export async function rpc(url: string, body: object): Promise<{ result?: Record<string, any>; error?: unknown }> {
  const res = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: LEGACY,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, ...body }),
  });
  return JSON.parse(await res.text()) as { result?: Record<string, any>; error?: unknown };
}
