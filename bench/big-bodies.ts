// `npm run bench`, big bodies: the memory one tools/call near the 16 MiB body limit (two images
// as data URLs, some 15.9 MiB) takes in workerd, and what six sent at once take. Memory is
// workerd's resident set, read from Linux's /proc: its peak (VmHWM, reset through clear_refs
// before each measurement) less what it held before. Each measurement starts a fresh workerd,
// so one call's garbage never hides in the next one's figure.
import { startOpenRouterStandIn, VALID_KEY } from "../stand-in/openrouter.js";
import { median } from "./measure.js";
import { row } from "./report.js";
import { resetPeak, serve, statusKiB, type Runtime } from "./workerd.js";

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
    const {
      mf,
      pid,
      url: origin,
    } = await serve(script, runtime, { OPENROUTER_BASE_URL: standIn.apiBase }, runtime.durableObjects);
    try {
      const url = `${origin}/mcp`;
      for (let i = 0; i < 5; i++) await send(url, JSON.stringify(smallCall(i)));
      const before = statusKiB(pid, "VmRSS");
      resetPeak(pid);
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

/** One isolate has 128 MB on Cloudflare: a big call must leave room for everyone else's streams. */
export function bigBodyRows(figures: BigBodyFigures): void {
  row(
    `memory of one ${figures.bodyMiB.toFixed(1)} MiB tools/call (peak RSS above before, median of ${figures.oneCallMiB.length})`,
    figures.oneCallMedianMiB,
    null,
    "MiB",
    "< 92 MiB (¾ of an isolate)",
    figures.oneCallMedianMiB < 92,
  );
  const answered = figures.sixAtOnceStatuses.filter((status) => status === 200).length;
  row(
    `memory of six such calls at once (${answered} answered, ${6 - answered} refused: 503, or closed unread)`,
    figures.sixAtOnceMiB,
    null,
    "MiB",
    "≤ 1.5 × one call",
    figures.sixAtOnceMiB <= figures.oneCallMedianMiB * 1.5,
  );
}
