// Logging in, limited per client address (src/rate-limits.ts): /register, /authorize, /token and
// /callback/, which are also the only requests that fetch a client's metadata document; and the
// browser's requests that ask OpenRouter something (/login/callback, and / and /login with a
// session key: see index.ts). Past the limit: 429 with Retry-After, as an OAuth error where
// clients call, as a page where a person looks.
import type { Config } from "../config.js";
import { clientAddress, PERIOD_SECONDS, withinLimit } from "../rate-limits.js";
import { problemPage } from "../pages/layout.js";
import { oauthError } from "./responses.js";

/** The 429 for a client address past RATE_LIMIT_LOGIN, or undefined to go on. */
export async function loginRateLimited(request: Request, config: Config, env: Env): Promise<Response | undefined> {
  const address = clientAddress(request);
  const perMinute = config.rateLimits.loginPerAddress;
  // A CORS preflight costs nothing, and refusing it would hide the 429 from a browser client.
  if (request.method === "OPTIONS" || address === undefined || (await withinLimit(env, `login:${address}`, perMinute)))
    return undefined;
  const retry = { "Retry-After": String(PERIOD_SECONDS) };
  const message = `Too many sign-in requests from your address: ${perMinute} a minute. Try again in a minute.`;
  const { pathname } = new URL(request.url);
  if (pathname === "/register" || pathname === "/token")
    return oauthError(429, "temporarily_unavailable", message, retry);
  return problemPage(429, "Too many sign-ins", message, retry);
}
