// Whether OpenRouter accepts a key, remembered under the key's SHA-256 (never the key itself): in
// this isolate, and in the Cache API shared by the isolates of a colo. So a known key costs no
// upstream round trip, and a made-up one at most a lookup a minute, however many requests carry it
// (requests that arrive while it is being asked wait for that same answer). Here, beside the
// client, so that everything that asks about a key (the /mcp bearer, /login, the home page's
// session) shares one memory.
//
// Three verdicts: accepted (GET /key answered with the key's details), rejected (401 or 403), and
// unknown (any other answer, or none: 429, 431, 5xx, a timeout, a network error). An unknown
// verdict is never taken for an accepted one: what only a verified key may do waits for a verdict.
import { systemClock, type Clock } from "../clock.js";
import type { KeyLookup, OpenRouter } from "./client.js";
import { keyHash } from "./keys.js";

/**
 * How long each verdict is remembered. An accepted key is a person's, used all day: asking again
 * every minute only costs them. A rejected one stays rejected. An unknown one is asked again soon.
 */
const REMEMBERED_SECONDS = { accepted: 600, rejected: 60, unknown: 10 } as const;
/** How long a request that needs a verified key waits while the verdict is unknown: Retry-After. */
export const UNKNOWN_VERDICT_SECONDS = REMEMBERED_SECONDS.unknown;
/** A stranger can send any number of made-up keys: the isolate remembers this many at most. */
const MAX_REMEMBERED = 10_000;

export type Verdict = "accepted" | "rejected" | "unknown";

/**
 * Lookups a caller may still make (an address's, say): `allows` is asked before a key new to this
 * server is looked up, and `failed` is told of every lookup that did not end accepted, which is
 * all such a budget counts.
 */
export interface LookupBudget {
  allows(): Promise<boolean>;
  failed(): Promise<void>;
}

const remembered = new Map<string, { verdict: Verdict; until: number }>();
const asking = new Map<string, Promise<Verdict | "unasked">>();

/** True when OpenRouter rejects the key (GET /key: 401 or 403), as keyVerdict finds. */
export async function keyRejectedLately(
  openRouter: OpenRouter,
  key: string,
  clock: Clock = systemClock,
): Promise<boolean> {
  return (await keyVerdict(openRouter, key, clock)) === "rejected";
}

/**
 * The verdict on a key, remembered or asked for; when none is at hand and `budget` allows no
 * lookup now, "unasked", and nothing asked.
 */
export async function keyVerdict(
  openRouter: OpenRouter,
  key: string,
  clock: Clock = systemClock,
  budget?: LookupBudget,
): Promise<Verdict | "unasked"> {
  const name = await verdictName(openRouter, key);
  const known = remembered.get(name);
  if (known !== undefined && known.until > clock.now()) return known.verdict;
  let pending = asking.get(name);
  if (pending === undefined) {
    pending = ask(name, openRouter, key, clock, budget).finally(() => asking.delete(name));
    asking.set(name, pending);
  }
  return pending;
}

/**
 * GET /key's answer, for the home page, which shows the key's label, limit and usage and so asks
 * each time; but a key rejected lately is answered as rejected without asking, and every answer
 * is remembered as keyVerdict's. So a made-up key in a cookie costs a lookup a minute.
 */
export async function keyInfoLately(
  openRouter: OpenRouter,
  key: string,
  clock: Clock = systemClock,
): Promise<KeyLookup> {
  const name = await verdictName(openRouter, key);
  if ((await recall(name, clock)) === "rejected") return { ok: false, rejected: true };
  const lookup = await openRouter.keyInfo(key);
  await record(name, verdictOf(lookup), clock);
  return lookup;
}

/** OpenRouter refused a call made with this key (401): it is rejected from now on, however it was judged before. */
export async function keyRejectedNow(openRouter: OpenRouter, key: string, clock: Clock = systemClock): Promise<void> {
  await record(await verdictName(openRouter, key), "rejected", clock);
}

function verdictOf(lookup: KeyLookup): Verdict {
  return lookup.ok ? "accepted" : lookup.rejected ? "rejected" : "unknown";
}

async function verdictName(openRouter: OpenRouter, key: string): Promise<string> {
  return `${openRouter.baseUrl}/key?verdict=${await keyHash(key)}`;
}

async function ask(
  name: string,
  openRouter: OpenRouter,
  key: string,
  clock: Clock,
  budget?: LookupBudget,
): Promise<Verdict | "unasked"> {
  const recalled = await recall(name, clock);
  if (recalled !== undefined) return recalled;
  if (budget && !(await budget.allows())) return "unasked";
  const verdict = verdictOf(await openRouter.keyInfo(key));
  if (verdict !== "accepted") await budget?.failed();
  await record(name, verdict, clock);
  return verdict;
}

/** The colo's cache; absent outside Workers. */
function colo(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

/** A verdict heard lately: in this isolate, else (accepted or rejected) in the colo's cache. */
async function recall(name: string, clock: Clock): Promise<Verdict | undefined> {
  const known = remembered.get(name);
  if (known !== undefined && known.until > clock.now()) return known.verdict;
  const cached = await colo()
    ?.match(name)
    // The colo's cache could not answer: as if it had no verdict.
    .catch(() => undefined);
  if (!cached) return undefined;
  const text = await cached.text();
  // Only these two are ever cached: anything else is not taken for a verdict.
  if (text !== "accepted" && text !== "rejected") return undefined;
  remember(name, text, clock);
  return text;
}

async function record(name: string, verdict: Verdict, clock: Clock): Promise<void> {
  // An unknown verdict stays in this isolate: another may well get an answer.
  if (verdict !== "unknown") {
    const entry = new Response(verdict, { headers: { "Cache-Control": `max-age=${REMEMBERED_SECONDS[verdict]}` } });
    await colo()
      ?.put(name, entry)
      // Not shared with the colo: this isolate still remembers it.
      .catch(() => undefined);
  }
  remember(name, verdict, clock);
}

function remember(name: string, verdict: Verdict, clock: Clock): void {
  remembered.delete(name);
  if (remembered.size >= MAX_REMEMBERED) {
    // Oldest first: a Map iterates in insertion order.
    const oldest = remembered.keys().next().value;
    if (oldest !== undefined) remembered.delete(oldest);
  }
  remembered.set(name, { verdict, until: clock.now() + REMEMBERED_SECONDS[verdict] * 1000 });
}
