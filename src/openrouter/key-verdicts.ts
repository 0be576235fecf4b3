// Whether OpenRouter accepts a key, remembered for a minute under the key's SHA-256 (never the key
// itself): in this isolate, and in the Cache API shared by the isolates of a colo. So a known key
// costs no upstream round trip, and an unknown or rejected one at most one a minute, however many
// requests carry it (requests that arrive while it is being asked wait for that same answer).
// Here, beside the client, so that everything that asks about a key (the /mcp bearer, /login,
// the home page's session) shares one memory.
import { systemClock, type Clock } from "../clock.js";
import type { KeyLookup, OpenRouter } from "./client.js";
import { keyHash, keyRejected } from "./keys.js";

const VERDICT_SECONDS = 60;
/** A stranger can send any number of made-up keys: the isolate remembers this many at most. */
const MAX_REMEMBERED = 10_000;

export type Verdict = "accepted" | "rejected";

const remembered = new Map<string, { verdict: Verdict; until: number }>();
const asking = new Map<string, Promise<Verdict | "unasked">>();

/**
 * True when OpenRouter rejects the key (GET /key: 401 or 403). When it cannot be asked, the key
 * counts as accepted, as it is remembered: the calls that use it will tell.
 */
export async function keyRejectedLately(
  openRouter: OpenRouter,
  key: string,
  clock: Clock = systemClock,
): Promise<boolean> {
  return (await keyVerdict(openRouter, key, clock)) === "rejected";
}

/**
 * The verdict on a key, as keyRejectedLately's; when no verdict is at hand and `mayAsk` says a
 * new lookup may not be made (a caller's address past its limit), "unasked", and nothing asked.
 */
export async function keyVerdict(
  openRouter: OpenRouter,
  key: string,
  clock: Clock = systemClock,
  mayAsk?: () => Promise<boolean>,
): Promise<Verdict | "unasked"> {
  const name = await verdictName(openRouter, key);
  const known = remembered.get(name);
  if (known !== undefined && known.until > clock.now()) return known.verdict;
  let pending = asking.get(name);
  if (pending === undefined) {
    pending = ask(name, openRouter, key, clock, mayAsk).finally(() => asking.delete(name));
    asking.set(name, pending);
  }
  return pending;
}

/**
 * GET /key's answer, for the home page, which shows the key's label, limit and usage and so asks
 * each time; but a key rejected lately is answered as rejected without asking, and every answer
 * is remembered as keyRejectedLately's. So a made-up key in a cookie costs a lookup a minute.
 */
export async function keyInfoLately(
  openRouter: OpenRouter,
  key: string,
  clock: Clock = systemClock,
): Promise<KeyLookup> {
  const name = await verdictName(openRouter, key);
  if ((await recall(name, clock)) === "rejected") return { ok: false, rejected: true };
  const lookup = await openRouter.keyInfo(key);
  // As keyRejected counts it: only a 401 or 403 is a rejection.
  await record(name, !lookup.ok && lookup.rejected ? "rejected" : "accepted", clock);
  return lookup;
}

async function verdictName(openRouter: OpenRouter, key: string): Promise<string> {
  return `${openRouter.baseUrl}/key?verdict=${await keyHash(key)}`;
}

async function ask(
  name: string,
  openRouter: OpenRouter,
  key: string,
  clock: Clock,
  mayAsk?: () => Promise<boolean>,
): Promise<Verdict | "unasked"> {
  const recalled = await recall(name, clock);
  if (recalled !== undefined) return recalled;
  if (mayAsk && !(await mayAsk())) return "unasked";
  const verdict = (await keyRejected(openRouter, key)) ? "rejected" : "accepted";
  await record(name, verdict, clock);
  return verdict;
}

/** The colo's cache; absent outside Workers. */
function colo(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

/** A verdict heard within VERDICT_SECONDS: in this isolate, else in the colo's cache. */
async function recall(name: string, clock: Clock): Promise<Verdict | undefined> {
  const known = remembered.get(name);
  if (known !== undefined && known.until > clock.now()) return known.verdict;
  const cached = await colo()
    ?.match(name)
    .catch(() => undefined);
  if (!cached) return undefined;
  const verdict = (await cached.text()) === "rejected" ? "rejected" : "accepted";
  remember(name, verdict, clock.now() + VERDICT_SECONDS * 1000);
  return verdict;
}

async function record(name: string, verdict: Verdict, clock: Clock): Promise<void> {
  const entry = new Response(verdict, { headers: { "Cache-Control": `max-age=${VERDICT_SECONDS}` } });
  await colo()
    ?.put(name, entry)
    .catch(() => {});
  remember(name, verdict, clock.now() + VERDICT_SECONDS * 1000);
}

function remember(name: string, verdict: Verdict, until: number): void {
  remembered.delete(name);
  if (remembered.size >= MAX_REMEMBERED) {
    // Oldest first: a Map iterates in insertion order.
    const oldest = remembered.keys().next().value;
    if (oldest !== undefined) remembered.delete(oldest);
  }
  remembered.set(name, { verdict, until });
}
