// People in a browser: GET /login sends them through OpenRouter's PKCE login (unless the browser
// already holds a key OpenRouter accepts: logging in again makes no second key), and the key
// lands in an HttpOnly session cookie that only this server reads (it is never shown); with
// TOKEN_SECRET set, the cookie holds the key sealed (sealed.ts) rather than the key itself.
// Here the Worker itself is OpenRouter's client, so it makes the verifier, kept meanwhile in
// a short-lived HttpOnly cookie. That also defeats login CSRF: a code from someone else's
// login does not match this browser's verifier.
import * as z from "zod/mini";
import type { Clock } from "../clock.js";
import type { Config, WorkerContext } from "../config.js";
import { methodNotAllowed, originOf, redirectResponse } from "../http.js";
import { openRouterFor } from "../openrouter/client.js";
import { keyRejectedLately } from "../openrouter/key-verdicts.js";
import { consentUrl, looksLikeKey } from "../openrouter/keys.js";
import type { BrowserSession } from "../pages/home.js";
import { ABOUT_PATH, LOGGED_OUT_PATH, problemPage } from "../pages/layout.js";
import { cookieJar } from "./cookies.js";
import { base64urlFromText, decodeBase64urlJson, randomToken, sha256Base64url } from "../encoding.js";
import { isSameOriginSubmission } from "./same-origin.js";
import { nowSeconds, seal, SEALED_PREFIX, unseal } from "./sealed.js";

const SESSION_COOKIE = "mcp_session";
const LOGIN_COOKIE = "mcp_login";
const SESSION_SECONDS = 30 * 24 * 3600;
const LOGIN_SECONDS = 15 * 60;
/** The login cookie: this login's PKCE verifier, and where to go afterwards. */
const pendingLoginSchema = z.object({ v: z.string(), to: z.string() });

/**
 * A same-origin path to go to after logging in or out, or the fallback for anything else:
 * absolute URLs, scheme-relative "//host", backslashes, encoded slashes and control characters
 * are all refused, and so is a path that becomes "//host" once dot segments are resolved
 * ("/.//evil.example" would leave as Location: //evil.example, another site).
 */
function safeLocalPath(value: string | null, origin: string, fallback = "/"): string {
  if (value === null || !value.startsWith("/") || /[\\\u0000-\u001f\u007f]|%2f|%5c/i.test(value)) return fallback;
  try {
    const url = new URL(value, origin);
    const path = `${url.pathname}${url.search}${url.hash}`;
    return url.origin === origin && !path.startsWith("//") ? path : fallback;
  } catch {
    // Not a URL: the fallback.
    return fallback;
  }
}

export async function handleLogin(
  request: Request,
  config: Config,
  { clock }: Pick<WorkerContext, "clock">,
): Promise<Response> {
  if (request.method !== "GET") return methodNotAllowed("GET");
  const origin = originOf(request);
  const cookies = cookieJar(request);
  const verifier = randomToken(32);
  const redirectTo = safeLocalPath(new URL(request.url).searchParams.get("redirect_to"), origin);
  // A browser that holds a key OpenRouter still takes goes on with it: no second key is made. Only
  // the verdict matters here, so a key asked about lately is not asked about again.
  const held = await sessionKey(request, config, clock);
  if (held !== undefined && !(await keyRejectedLately(openRouterFor(config, origin, undefined, clock), held, clock)))
    return redirectResponse(redirectTo);
  const pending = base64urlFromText(JSON.stringify({ v: verifier, to: redirectTo }));
  const label = `Browser login via ${new URL(origin).host}`;
  const consent = consentUrl(
    config.openRouterAuthUrl,
    `${origin}/login/callback`,
    await sha256Base64url(verifier),
    label,
  );
  return redirectResponse(consent, {
    cookies: [cookies.set(LOGIN_COOKIE, pending, { maxAgeSeconds: LOGIN_SECONDS, sameSite: "Lax" })],
  });
}

export async function handleLoginCallback(
  request: Request,
  config: Config,
  { clock }: Pick<WorkerContext, "clock">,
): Promise<Response> {
  if (request.method !== "GET") return methodNotAllowed("GET");
  const cookies = cookieJar(request);
  const clearLogin = cookies.clear(LOGIN_COOKIE);
  const again = (status: number, title: string, message: string) =>
    problemPage(status, title, message, { "Set-Cookie": clearLogin }, [
      { href: "/login", label: "Log in again", style: "primary" },
      { href: ABOUT_PATH, label: "Home", style: "button" },
    ]);
  const sent = cookies.get(LOGIN_COOKIE);
  const pending = sent === undefined ? undefined : decodeBase64urlJson(sent, pendingLoginSchema);
  if (!pending)
    return again(400, "Login expired", "This login was not started in this browser, or took longer than 15 minutes.");
  const params = new URL(request.url).searchParams;
  const code = params.get("code");
  if (!code) return again(400, "Not logged in", "OpenRouter did not authorize a key.");
  const origin = originOf(request);
  const exchange = await openRouterFor(config, origin, undefined, clock).exchangeCode(code, pending.v);
  if (!exchange.ok) {
    if (!exchange.refused)
      console.warn(
        `login: OpenRouter's key exchange failed (${exchange.status === 0 ? "unreachable" : `HTTP ${exchange.status}`})`,
      );
    return again(exchange.refused ? 400 : 502, "Login failed", "OpenRouter did not exchange the code for a key.");
  }
  const secret = config.auth.sealedTokens?.secret;
  const session =
    secret === undefined
      ? encodeURIComponent(exchange.key)
      : await seal(secret, "session", { k: exchange.key, a: origin, e: nowSeconds(clock) + SESSION_SECONDS });
  return redirectResponse(safeLocalPath(pending.to, origin), {
    cookies: [clearLogin, cookies.set(SESSION_COOKIE, session, { maxAgeSeconds: SESSION_SECONDS, sameSite: "Lax" })],
  });
}

export function handleLogout(request: Request): Response {
  if (request.method !== "POST") return methodNotAllowed("POST");
  if (!isSameOriginSubmission(request))
    return problemPage(403, "Request refused", "Log out from this server's own page.");
  const origin = originOf(request);
  const cookies = cookieJar(request);
  return redirectResponse(
    safeLocalPath(new URL(request.url).searchParams.get("redirect_to"), origin, LOGGED_OUT_PATH),
    {
      cookies: [cookies.clear(SESSION_COOKIE)],
      status: 303,
    },
  );
}

/**
 * The key held by this browser's session cookie, if any. With TOKEN_SECRET set only a sealed
 * cookie counts; one sealed under another secret (or none now) counts as logged out. Without it,
 * only a value shaped like an OpenRouter key counts: anything else could only be made up, and is
 * never sent to OpenRouter.
 */
export async function sessionKey(request: Request, config: Config, clock: Clock): Promise<string | undefined> {
  const raw = cookieJar(request).get(SESSION_COOKIE);
  const secret = config.auth.sealedTokens?.secret;
  if (!raw) return undefined;
  if (secret !== undefined || raw.startsWith(SEALED_PREFIX)) {
    const opened = secret === undefined ? undefined : await unseal(secret, "session", raw, originOf(request), clock);
    return opened?.ok ? opened.contents.k : undefined;
  }
  try {
    const key = decodeURIComponent(raw);
    return looksLikeKey(key) ? key : undefined;
  } catch {
    // Malformed percent-encoding: no key.
    return undefined;
  }
}

/** This browser's login, for the home page. */
export async function browserSession(request: Request, config: Config, clock: Clock): Promise<BrowserSession> {
  return { key: await sessionKey(request, config, clock), forget: cookieJar(request).clear(SESSION_COOKIE) };
}
