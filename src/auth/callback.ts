// GET /callback/<tx>: OpenRouter's answer to a login approved on our consent page (authorize.ts),
// forwarded to the client's redirect URI. Nothing is stored: what the callback needs, the
// transaction, travels in its own URL, and the browser that approved holds a cookie proving it.
//
// The tx in the callback path is unsigned (there is no secret). Why forging it gets nowhere:
// - It names a client_id and a redirect_uri; /callback resolves the client again and sends the
//   code only to a redirect URI that client allows: never to an arbitrary URL.
// - An attacker could skip our consent page by sending a victim straight to OpenRouter with a
//   callback to us naming the attacker's own client and challenge. That is the confused-deputy
//   attack, and the tx cookie stops it: /callback forwards a code only when this browser holds
//   the cookie set when *this* tx was approved on our consent page (its value is the SHA-256 of
//   the tx, its name carries the tx's random nonce, it is single use and lives 15 minutes).
//   Our consent POST cannot be forged cross-site, and an attacker cannot set cookies for us.
import * as z from "zod/mini";
import type { Clock } from "../clock.js";
import type { WorkerContext } from "../config.js";
import { methodNotAllowed, originOf, redirectResponse } from "../http.js";
import { problemPage } from "../pages/layout.js";
import { resolveClient } from "./clients.js";
import { cookieJar, type CookieJar } from "./cookies.js";
import {
  base64urlFromText,
  constantTimeEqual,
  decodeBase64urlJson,
  RANDOM_TOKEN_SHAPE,
  randomToken,
  sha256Base64url,
} from "../encoding.js";
import { redirectUriAllowed } from "./redirect-uri.js";

const TX_COOKIE_PREFIX = "mcp_tx_";
const TX_LIFETIME_SECONDS = 15 * 60;

/** What /callback needs, carried in its own URL (unsigned: see the top of this file). */
const transactionSchema = z.object({
  /** client_id */
  c: z.string(),
  /** redirect_uri */
  r: z.string(),
  /** the client's state */
  s: z.optional(z.string()),
  /** random nonce: names the cookie that proves this browser approved */
  n: z.string().check(z.regex(RANDOM_TOKEN_SHAPE)),
  /** issued at, seconds */
  t: z.number(),
});

type Transaction = z.output<typeof transactionSchema>;

/** The request the person approved, as the callback will need it. */
export interface Approval {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
}

/**
 * The callback path for an approved request, and the cookie (single use, 15 minutes) that lets
 * only this browser's callback through.
 */
export async function approvedTransaction(
  approval: Approval,
  cookies: CookieJar,
  clock: Clock,
): Promise<{ callbackPath: string; cookie: string }> {
  const nonce = randomToken(16);
  const transaction: Transaction = {
    c: approval.clientId,
    r: approval.redirectUri,
    s: approval.state,
    n: nonce,
    t: Math.floor(clock.now() / 1000),
  };
  const tx = base64urlFromText(JSON.stringify(transaction));
  const binding = await sha256Base64url(tx);
  return {
    callbackPath: `/callback/${tx}`,
    cookie: cookies.set(TX_COOKIE_PREFIX + nonce, binding, { maxAgeSeconds: TX_LIFETIME_SECONDS, sameSite: "Lax" }),
  };
}

/** GET /callback/<tx>?code=… (or ?error=…): OpenRouter's answer, forwarded to the client. */
export async function handleCallback(
  request: Request,
  txValue: string,
  { clock }: Pick<WorkerContext, "clock">,
): Promise<Response> {
  if (request.method !== "GET") return methodNotAllowed("GET");
  const origin = originOf(request);
  const cookies = cookieJar(request);
  const tx = decodeBase64urlJson(txValue, transactionSchema);
  if (!tx)
    return problemPage(
      400,
      "This sign-in cannot continue",
      "The sign-in link is damaged. Start signing in again from your app.",
    );
  const clearCookie = cookies.clear(TX_COOKIE_PREFIX + tx.n);
  const stop = (status: number, message: string) =>
    problemPage(status, "This sign-in cannot continue", message, { "Set-Cookie": clearCookie });
  const age = Math.floor(clock.now() / 1000) - tx.t;
  if (age > TX_LIFETIME_SECONDS || age < -60)
    return stop(400, "This sign-in took too long. Start signing in again from your app.");
  const proof = cookies.get(TX_COOKIE_PREFIX + tx.n);
  if (proof === undefined || !constantTimeEqual(proof, await sha256Base64url(txValue))) {
    return stop(
      403,
      "This sign-in was not approved on this server's consent page in this browser, so its result is not passed on. Start signing in again from your app.",
    );
  }
  const lookup = await resolveClient(tx.c);
  if (!lookup.ok) return stop(400, lookup.description);
  if (!redirectUriAllowed(tx.r, lookup.client.redirectUris))
    return stop(400, "The redirect_uri is not one this client registered.");

  const params = new URL(request.url).searchParams;
  const code = params.get("code");
  const upstreamError = params.get("error");
  const answer: Record<string, string> =
    code !== null && code !== ""
      ? { code }
      : upstreamError !== null
        ? {
            error: /^[a-z_]{1,64}$/.test(upstreamError) ? upstreamError : "access_denied",
            error_description: "OpenRouter did not authorize the key.",
          }
        : { error: "server_error", error_description: "OpenRouter returned neither a code nor an error." };
  return redirectResponse(authorizationResponseUrl(tx.r, origin, tx.s, answer), { cookies: [clearCookie] });
}

/** The client's redirect URI with the response parameters, its state and our issuer (RFC 9207). */
export function authorizationResponseUrl(
  redirectUri: string,
  issuer: string,
  state: string | undefined,
  values: Record<string, string>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) url.searchParams.set(name, value);
  if (state !== undefined) url.searchParams.set("state", state);
  url.searchParams.set("iss", issuer);
  return url.href;
}
