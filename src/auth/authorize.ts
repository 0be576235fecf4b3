// The authorization endpoint and the callback from OpenRouter. Nothing is stored: what the
// callback needs travels in its own URL, and this browser holds a cookie proving it approved.
//
//   client ──GET /authorize──▶ our consent page ──POST /authorize (approve)──▶ OpenRouter /auth
//     ▲                       (CSRF: double-submit       │ callback_url = /callback/<tx>,
//     │                        cookie, Origin, SameSite,  │ code_challenge = the client's own
//     │                        frame-ancestors 'none')    ▼
//     └──── redirect_uri?code&state&iss ◀── GET /callback/<tx>?code ◀── OpenRouter redirects
//
// PKCE runs end to end: the client's code_challenge goes to OpenRouter unchanged, and only the
// client's verifier can turn the code into a key (at /token), so we never hold the verifier.
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
import type { Config } from "../config.js";
import { mediaType, methodNotAllowed, originOf, readTextWithin, redirectResponse } from "../http.js";
import { consentUrl } from "../openrouter/keys.js";
import { consentPage } from "../pages/consent.js";
import { problemPage } from "../pages/layout.js";
import { resolveClient, type OAuthClient } from "./clients.js";
import { cookieJar } from "./cookies.js";
import { base64urlFromText, constantTimeEqual, decodeBase64urlJson, randomToken, sha256Base64url } from "./encoding.js";
import { redirectUriAllowed } from "./redirect-uri.js";
import { isOurResource } from "./responses.js";
import { isSameOriginSubmission } from "./same-origin.js";

const CSRF_COOKIE = "mcp_csrf";
const TX_COOKIE_PREFIX = "mcp_tx_";
const TX_LIFETIME_SECONDS = 15 * 60;
const MAX_FORM_BYTES = 32 * 1024;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,64}$/;

const SINGLE_VALUED = ["client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method", "resource", "scope"];

interface ApprovedRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  resource: string | undefined;
}

/**
 * Anyone can register any redirect URI, so it proves nothing until the person approves: every
 * problem found before then is explained on our own page, never sent there by redirect
 * (RFC 9700 §4.11.2, no open redirector). Only Deny and the callback redirect to the client.
 */
type Checked = { kind: "page"; message: string } | { kind: "ok"; request: ApprovedRequest };

async function checkAuthorizationRequest(params: URLSearchParams, origin: string): Promise<Checked> {
  const once = (name: string) => params.getAll(name).length <= 1;
  const clientId = params.get("client_id");
  if (!clientId) return { kind: "page", message: "The request names no client_id. Start signing in again from your app." };
  if (!once("client_id") || !once("redirect_uri")) return { kind: "page", message: "client_id and redirect_uri may each appear only once." };
  const lookup = await resolveClient(clientId);
  if (!lookup.ok) return { kind: "page", message: lookup.description };
  const client = lookup.client;
  let redirectUri = params.get("redirect_uri");
  if (redirectUri === null) {
    if (client.redirectUris.length !== 1) return { kind: "page", message: "The request names no redirect_uri, and the client registered several." };
    redirectUri = client.redirectUris[0]!;
  } else if (!redirectUriAllowed(redirectUri, client.redirectUris)) {
    return { kind: "page", message: "The redirect_uri is not one this client registered, so the sign-in stops here." };
  }

  const state = params.get("state") ?? undefined;
  const fail = (error: string, description: string): Checked => ({
    kind: "page",
    message: `The app's sign-in request is not one this server can take (${error}): ${description} Tell the app's developers.`,
  });
  const repeated = SINGLE_VALUED.find((name) => !once(name));
  if (repeated) return fail("invalid_request", `The parameter ${repeated} appears more than once.`);
  if (params.get("response_type") !== "code") return fail("unsupported_response_type", 'Only response_type "code" is supported.');
  const challenge = params.get("code_challenge");
  if (!challenge) return fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method S256.");
  if (params.get("code_challenge_method") !== "S256") return fail("invalid_request", 'code_challenge_method must be "S256".');
  if (!S256_CHALLENGE.test(challenge)) return fail("invalid_request", "code_challenge must be a base64url SHA-256 digest (43 characters).");
  const resource = params.get("resource") ?? undefined;
  if (resource !== undefined && !isOurResource(resource, origin)) {
    return fail("invalid_target", `This server issues keys only for the resource ${origin}/mcp.`);
  }
  return { kind: "ok", request: { client, redirectUri, state, codeChallenge: challenge, resource } };
}

export async function handleAuthorize(request: Request, config: Config): Promise<Response> {
  if (request.method === "GET" || request.method === "HEAD") return showConsent(request, config);
  if (request.method === "POST") return answerConsent(request, config);
  return methodNotAllowed("GET, POST");
}

async function showConsent(request: Request, config: Config): Promise<Response> {
  const origin = originOf(request);
  const params = new URL(request.url).searchParams;
  const checked = await checkAuthorizationRequest(params, origin);
  if (checked.kind === "page") return problemPage(400, "This sign-in cannot continue", checked.message);
  const { client, redirectUri, state, codeChallenge, resource } = checked.request;
  const cookies = cookieJar(request);
  const existing = cookies.get(CSRF_COOKIE);
  // Reuse a live token, so two consent pages open in two tabs both still work.
  const csrfToken = existing !== undefined && TOKEN_SHAPE.test(existing) ? existing : randomToken(24);
  const fields: Record<string, string> = {
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
  };
  if (state !== undefined) fields.state = state;
  if (resource !== undefined) fields.resource = resource;
  return consentPage({
    client,
    redirectUri,
    fields,
    csrfToken,
    formAction: [new URL(config.openRouterAuthUrl).origin, formActionSource(redirectUri)],
    setCookie: cookies.set(CSRF_COOKIE, csrfToken, { maxAgeSeconds: 3600, sameSite: "Strict" }),
  });
}

async function answerConsent(request: Request, config: Config): Promise<Response> {
  const origin = originOf(request);
  const cookies = cookieJar(request);
  const isForm = mediaType(request.headers.get("Content-Type")) === "application/x-www-form-urlencoded";
  const text = isForm ? await readTextWithin(request, MAX_FORM_BYTES) : undefined;
  if (text === undefined) return problemPage(400, "This sign-in cannot continue", "The consent form was not sent as a form, or is too large.");
  const form = new URLSearchParams(text);
  // Cross-site request forgery: the POST must come from our own page in this browser.
  const sentToken = form.get("csrf_token") ?? "";
  const cookieToken = cookies.get(CSRF_COOKIE) ?? "";
  if (!isSameOriginSubmission(request) || cookieToken === "" || !constantTimeEqual(sentToken, cookieToken)) {
    return problemPage(
      403,
      "Request refused",
      "This approval did not come from this server's own consent page in this browser. Start signing in again from your app.",
    );
  }
  const checked = await checkAuthorizationRequest(form, origin);
  if (checked.kind === "page") return problemPage(400, "This sign-in cannot continue", checked.message);
  const { client, redirectUri, state, codeChallenge } = checked.request;

  const action = form.get("action");
  if (action !== "approve") {
    return redirectResponse(
      authorizationResponseUrl(redirectUri, origin, state, { error: "access_denied", error_description: "The person denied the request." }),
      { cookies: [cookies.clear(CSRF_COOKIE)] },
    );
  }
  const nonce = randomToken(16);
  const tx = encodeTransaction({ c: client.clientId, r: redirectUri, s: state, n: nonce, t: Math.floor(Date.now() / 1000) });
  const binding = await sha256Base64url(tx);
  // The key's name at OpenRouter says which app holds it, through which server.
  const label = `${client.name ?? clientHost(client)} via ${new URL(origin).host}`;
  return redirectResponse(consentUrl(config.openRouterAuthUrl, `${origin}/callback/${tx}`, codeChallenge, label), {
    cookies: [cookies.clear(CSRF_COOKIE), cookies.set(TX_COOKIE_PREFIX + nonce, binding, { maxAgeSeconds: TX_LIFETIME_SECONDS, sameSite: "Lax" })],
  });
}

/** What /callback needs, carried in its own URL (unsigned: see the top of this file). */
const transactionSchema = z.object({
  /** client_id */
  c: z.string(),
  /** redirect_uri */
  r: z.string(),
  /** the client's state */
  s: z.optional(z.string()),
  /** random nonce: names the cookie that proves this browser approved */
  n: z.string().check(z.regex(TOKEN_SHAPE)),
  /** issued at, seconds */
  t: z.number(),
});

type Transaction = z.output<typeof transactionSchema>;

function encodeTransaction(tx: Transaction): string {
  return base64urlFromText(JSON.stringify(tx));
}

/** GET /callback/<tx>?code=… (or ?error=…): OpenRouter's answer, forwarded to the client. */
export async function handleCallback(request: Request, txValue: string): Promise<Response> {
  if (request.method !== "GET") return methodNotAllowed("GET");
  const origin = originOf(request);
  const cookies = cookieJar(request);
  const tx = decodeBase64urlJson(txValue, transactionSchema);
  if (!tx) return problemPage(400, "This sign-in cannot continue", "The sign-in link is damaged. Start signing in again from your app.");
  const clearCookie = cookies.clear(TX_COOKIE_PREFIX + tx.n);
  const stop = (status: number, message: string) => problemPage(status, "This sign-in cannot continue", message, { "Set-Cookie": clearCookie });
  const age = Math.floor(Date.now() / 1000) - tx.t;
  if (age > TX_LIFETIME_SECONDS || age < -60) return stop(400, "This sign-in took too long. Start signing in again from your app.");
  const proof = cookies.get(TX_COOKIE_PREFIX + tx.n);
  if (proof === undefined || !constantTimeEqual(proof, await sha256Base64url(txValue))) {
    return stop(
      403,
      "This sign-in was not approved on this server's consent page in this browser, so its result is not passed on. Start signing in again from your app.",
    );
  }
  const lookup = await resolveClient(tx.c);
  if (!lookup.ok) return stop(400, lookup.description);
  if (!redirectUriAllowed(tx.r, lookup.client.redirectUris)) return stop(400, "The redirect_uri is not one this client registered.");

  const params = new URL(request.url).searchParams;
  const code = params.get("code");
  const upstreamError = params.get("error");
  const answer: Record<string, string> =
    code !== null && code !== ""
      ? { code }
      : upstreamError !== null
        ? { error: /^[a-z_]{1,64}$/.test(upstreamError) ? upstreamError : "access_denied", error_description: "OpenRouter did not authorize the key." }
        : { error: "server_error", error_description: "OpenRouter returned neither a code nor an error." };
  return redirectResponse(authorizationResponseUrl(tx.r, origin, tx.s, answer), { cookies: [clearCookie] });
}

/** The client's redirect URI with the response parameters, its state and our issuer (RFC 9207). */
function authorizationResponseUrl(redirectUri: string, issuer: string, state: string | undefined, values: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) url.searchParams.set(name, value);
  if (state !== undefined) url.searchParams.set("state", state);
  url.searchParams.set("iss", issuer);
  return url.href;
}

/** An unnamed client is known by its metadata document's host, or as a plain "MCP client". */
function clientHost(client: OAuthClient): string {
  return client.kind === "metadata-document" ? new URL(client.clientId).host : "MCP client";
}

/** The CSP form-action source that lets the consent form redirect to this URI. */
function formActionSource(uri: string): string {
  const url = new URL(uri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
}

