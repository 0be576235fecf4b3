// `npm run bench`, big bodies: the memory one tools/call near the 16 MiB body limit (two images
// as data URLs, some 15.9 MiB) takes in workerd, and what six sent at once take. Memory is
// workerd's resident set, read from Linux's /proc: its peak (VmHWM, reset through clear_refs
// before each measurement) less what it held before. Each measurement starts a fresh workerd,
// so one call's garbage never hides in the next one's figure.
import { readFileSync, writeFileSync } from "node:fs";
import { startOpenRouterStandIn, VALID_KEY } from "../stand-in/openrouter.js";
import { loadMiniflare, median, QUIET, workerdPids } from "./measure.js";

interface Runtime {
  compatibilityDate: string;
  compatibilityFlags: string[];
  durableObjects: Record<string, { className: string; useSQLite?: boolean }>;
}

export interface BigBodyFigures {
  /** The call's body, in MiB. */
  bodyMiB: number;
  /** Peak resident memory above what workerd held before, for one call, in MiB (each of the rounds, and their median). */
  oneCallMiB: number[];
  oneCallMedianMiB: number;
  /** Six such calls sent at once: the peak above the start, and how each was answered (0: closed unread). */
  sixAtOnceMiB: number;
  sixAtOnceStatuses: number[];
}

const ROUNDS = 3;
/** Characters of base64 in each of the two images: within the 8 MiB a data URL may hold. */
const IMAGE_CHARS = 8 * 1024 * 1024 - 64 * 1024;

const MiB = 1024 * 1024;

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

function bigCall(id: number): string {
  const image = `data:image/png;base64,${"A".repeat(IMAGE_CHARS)}`;
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/tokens-3", images: [image, image] } },
  });
}

export async function bigBodies(script: string, runtime: Runtime): Promise<BigBodyFigures> {
  const standIn = await startOpenRouterStandIn();
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  const body = bigCall(1);
  const send = async (url: string, text: string) => {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: `Bearer ${VALID_KEY}`,
      },
      body: text,
    });
    await res.text();
    return res.status;
  };
  /** A fresh workerd, warmed with a few small calls; `measure` runs between the reset of its peak and the reading. */
  const peakAbove = async (measure: (url: string) => Promise<number[]>) => {
    const known = workerdPids();
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        modules: true,
        scriptPath: script,
        compatibilityDate: runtime.compatibilityDate,
        compatibilityFlags: runtime.compatibilityFlags,
        durableObjects: runtime.durableObjects,
        bindings: { OPENROUTER_BASE_URL: standIn.apiBase },
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        handleStructuredLogs: QUIET,
      }),
    );
    try {
      const url = `${(await mf.unsafeGetDirectURL()).origin}/mcp`;
      const pid = [...workerdPids()].find((p) => !known.has(p));
      if (pid === undefined) throw new Error("no workerd process found (this measurement reads Linux's /proc)");
      for (let i = 0; i < 5; i++) await send(url, JSON.stringify(smallCall(i)));
      const before = statusKiB(pid, "VmRSS");
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
      const statuses = await measure(url);
      return { mib: (statusKiB(pid, "VmHWM") - before) / 1024, statuses };
    } finally {
      await mf.dispose();
    }
  };
  try {
    const oneCall: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { mib, statuses } = await peakAbove(async (url) => [await send(url, body)]);
      if (statuses[0] !== 200) throw new Error(`a big call was answered ${statuses[0]}`);
      oneCall.push(mib);
    }
    // A refused body with a Content-Length is answered unread: the client may see its connection
    // closed while it still writes (status 0 here).
    const six = await peakAbove((url) => Promise.all(Array.from({ length: 6 }, () => send(url, body).catch(() => 0))));
    return {
      bodyMiB: body.length / MiB,
      oneCallMiB: oneCall,
      oneCallMedianMiB: median(oneCall),
      sixAtOnceMiB: six.mib,
      sixAtOnceStatuses: six.statuses,
    };
  } finally {
    await standIn.close();
  }
}

function smallCall(id: number): object {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/tokens-3" } },
  };
}
