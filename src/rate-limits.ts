// Rate limits, counted by Cloudflare's Rate Limiting binding (RATE_LIMITER in wrangler.toml): per
// client address on logging in (/register, /authorize, /token and /callback, the only requests
// that fetch a client's metadata document, and the browser login's requests that ask OpenRouter),
// on the lookups of keys new to this server that OpenRouter did not accept (apart, with the same limit),
// and per key (its hash) on tool calls, and apart from them on requests about durable calls
// (tasks/ methods, get_completion). Counts are kept per Cloudflare location and are approximate,
// as the binding's always are.
//
// The binding's own limit is fixed in wrangler.toml at BINDING_LIMIT a minute; each setting gets
// its limit by weighting every request (the binding's `delta`): at 6,000 a minute, a setting of
// 60 counts a request as 100. A request from this machine (wrangler dev, the tests) is never
// counted: its address is loopback, which nobody else shares.
/** wrangler.toml's limit for RATE_LIMITER (a test holds the two together), per PERIOD_SECONDS. */
export const BINDING_LIMIT = 6000;
/** The binding's period: how long a refused client waits at most (Retry-After). */
export const PERIOD_SECONDS = 60;

/**
 * Whether `count` more requests counted under `key` stay within `perMinute`. True when the
 * limiter fails: a limiter that cannot answer never fails the request.
 */
export async function withinLimit(env: Env, key: string, perMinute: number, count = 1): Promise<boolean> {
  return counted(env, key, Math.ceil(BINDING_LIMIT / perMinute) * count);
}

/** Adds `delta` under `key`: whether the count was within the binding's limit before. */
async function counted(env: Env, key: string, delta: number): Promise<boolean> {
  try {
    return (await env.RATE_LIMITER.limit({ key, delta })).success;
  } catch {
    // The limiter could not answer: it never fails the request.
    return true;
  }
}

/**
 * A budget of `perMinute` events under `key` that counts only the events that happen: allows()
 * asks whether the count is still within the limit (adding the least the binding takes, 1 of
 * BINDING_LIMIT), and spend() counts one event, less that: an address's failed key lookups count
 * whole, its successful ones next to nothing. Allowed when the limiter fails, as withinLimit.
 */
export function eventBudget(
  env: Env,
  key: string,
  perMinute: number,
): { allows: () => Promise<boolean>; spend: () => Promise<void> } {
  const weight = Math.ceil(BINDING_LIMIT / perMinute);
  return {
    allows: () => counted(env, key, 1),
    spend: async () => void (weight > 1 && (await counted(env, key, weight - 1))),
  };
}

/**
 * The client's address as the limits count it, an IPv6 one by its /64 (what one subscriber
 * usually holds); undefined on loopback, which is never counted.
 */
export function clientAddress(request: Request): string | undefined {
  const address = request.headers.get("CF-Connecting-IP")?.replace(/^::ffff:(?=[\d.]+$)/i, "");
  if (!address || /^(?:127\.|::1$)/.test(address)) return undefined;
  if (!address.includes(":")) return address;
  // IPv6: the first four groups, once the zeros that "::" leaves out are filled in.
  const [head = [], tail] = address.split("::").map((part) => (part === "" ? [] : part.split(":")));
  const groups =
    tail === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  return `${groups.slice(0, 4).join(":")}::/64`;
}
