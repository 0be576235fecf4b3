// Measuring helpers the bench's sections share: order statistics, and the CPU a workerd process
// spends, read from Linux's /proc (so every Worker is measured alike, from outside).
import { readdirSync, readFileSync } from "node:fs";

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/**
 * Miniflare, imported only when a section needs workerd, after the relay section. Miniflare and
 * wrangler (which loads it) bundle their own zod, which writes a memoizer and English messages
 * into the config every zod copy shares (globalThis.__zod_globalConfig): loaded first, they made
 * the relay section's chat_completion argument parse take ~5 µs more a call (about 20 against 14 µs,
 * median, beside the naive relay), which no Worker pays. So nothing imports Miniflare statically,
 * and run.ts reads wrangler's options only after the relay.
 */
export const loadMiniflare = () => import("miniflare");

/** For Miniflare's handleStructuredLogs: the Workers' own log lines (one per tool call) are not the bench's output. */
export const QUIET = (): void => {};

/** Our workerd child processes (Miniflare spawns one per instance). */
export function workerdPids(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) pids.add(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Nanoseconds the process's threads have spent on a CPU so far. */
export function cpuNanoseconds(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that ended
    }
  }
  return total;
}
