// Whether OpenRouter accepts a key, remembered for a minute under the key's SHA-256 (never the key
// itself): in this isolate, and in the Cache API shared by the isolates of a colo. So a known key
// costs no upstream round trip, and an unknown or rejected one at most one a minute, however many
// requests carry it (requests that arrive while it is being asked wait for that same answer).
// Here, beside the client, so that every layer that asks about a key (the /mcp bearer, the
// browser login, the home page) shares one memory.
import { systemClock, type Clock } from "../clock.js";
import type { OpenRouter } from "./client.js";
import { keyHash, keyRejected } from "./keys.js";

const VERDICT_SECONDS = 60;
/** A stranger can send any number of made-up keys: the isolate remembers this many at most. */
const MAX_REMEMBERED = 10_000;

type Verdict = "accepted" | "rejected";

const remembered = new Map<string, { verdict: Verdict; until: number }>();
const asking = new Map<string, Promise<Verdict>>();

/**
 * True when OpenRouter rejects the key (GET /key: 401 or 403). When it cannot be asked, the key
 * counts as accepted, as it is remembered: the calls that use it will tell.
 */
export async function keyRejectedLately(openRouter: OpenRouter, key: string, clock: Clock = systemClock): Promise<boolean> {
  const name = `${openRouter.baseUrl}/key?verdict=${await keyHash(key)}`;
  const known = remembered.get(name);
  if (known !== undefined && known.until > clock.now()) return known.verdict === "rejected";
  let pending = asking.get(name);
  if (pending === undefined) {
    pending = ask(name, openRouter, key, clock).finally(() => asking.delete(name));
    asking.set(name, pending);
  }
  return (await pending) === "rejected";
}

async function ask(name: string, openRouter: OpenRouter, key: string, clock: Clock): Promise<Verdict> {
  // The colo's cache; absent outside Workers.
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  const cached = await cache?.match(name).catch(() => undefined);
  let verdict: Verdict;
  if (cached) verdict = (await cached.text()) === "rejected" ? "rejected" : "accepted";
  else {
    verdict = (await keyRejected(openRouter, key)) ? "rejected" : "accepted";
    const entry = new Response(verdict, { headers: { "Cache-Control": `max-age=${VERDICT_SECONDS}` } });
    await cache?.put(name, entry).catch(() => {});
  }
  remember(name, verdict, clock.now() + VERDICT_SECONDS * 1000);
  return verdict;
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
