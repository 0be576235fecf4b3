// GET and POST /authorize: the authorization endpoint and our consent page. Nothing is stored:
// approving sends the browser to OpenRouter with a callback to /callback/<tx> (callback.ts), which
// carries what the callback needs, and this browser gets a cookie proving it approved.
//
//   client ──GET /authorize──▶ our consent page ──POST /authorize (approve)──▶ OpenRouter /auth
//     ▲                       (CSRF: double-submit       │ callback_url = /callback/<tx>,
//     │                        cookie, Origin, SameSite,  │ code_challenge = the client's own
//     │                        frame-ancestors 'none')    ▼
//     └──── redirect_uri?code&state&iss ◀── GET /callback/<tx>?code ◀── OpenRouter redirects
//
// PKCE runs end to end: the client's code_challenge goes to OpenRouter unchanged, and only the
// client's verifier can turn the code into a key (at /token), so we never hold the verifier.
import type { Clock } from "../clock.js";
import type { Config, WorkerContext } from "../config.js";
import { mediaType, methodNotAllowed, originOf, readTextWithin, redirectResponse } from "../http.js";
import { consentUrl } from "../openrouter/keys.js";
import { consentPage } from "./consent-page.js";
import { problemPage } from "../pages/layout.js";
import { approvedTransaction, authorizationResponseUrl } from "./callback.js";
import { resolveClient, type OAuthClient } from "./clients.js";
import { cookieJar } from "./cookies.js";
import { constantTimeEqual, RANDOM_TOKEN_SHAPE, randomToken } from "../encoding.js";
import { redirectUriAllowed } from "./redirect-uri.js";
import { isOurResource } from "./responses.js";
import { isSameOriginSubmission } from "./same-origin.js";

const CSRF_COOKIE = "mcp_csrf";
const MAX_FORM_BYTES = 32 * 1024;
const S256_CHALLENGE = /^[\w-]{43}$/;

const SINGLE_VALUED = [
  "client_id",
  "redirect_uri",
  "response_type",
  "state",
  "code_challenge",
  "code_challenge_method",
  "resource",
  "scope",
];

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
  if (!clientId)
    return { kind: "page", message: "The request names no client_id. Start signing in again from your app." };
  if (!once("client_id") || !once("redirect_uri"))
    return { kind: "page", message: "client_id and redirect_uri may each appear only once." };
  const lookup = await resolveClient(clientId);
  if (!lookup.ok) return { kind: "page", message: lookup.description };
  const client = lookup.client;
  let redirectUri = params.get("redirect_uri");
  if (redirectUri === null) {
    if (client.redirectUris.length !== 1)
      return { kind: "page", message: "The request names no redirect_uri, and the client registered several." };
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
  if (params.get("response_type") !== "code")
    return fail("unsupported_response_type", 'Only response_type "code" is supported.');
  const challenge = params.get("code_challenge");
  if (!challenge)
    return fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method S256.");
  if (params.get("code_challenge_method") !== "S256")
    return fail("invalid_request", 'code_challenge_method must be "S256".');
  if (!S256_CHALLENGE.test(challenge))
    return fail("invalid_request", "code_challenge must be a base64url SHA-256 digest (43 characters).");
  const resource = params.get("resource") ?? undefined;
  if (resource !== undefined && !isOurResource(resource, origin)) {
    return fail("invalid_target", `This server issues keys only for the resource ${origin}/mcp.`);
  }
  return { kind: "ok", request: { client, redirectUri, state, codeChallenge: challenge, resource } };
}

export async function handleAuthorize(
  request: Request,
  config: Config,
  { clock }: Pick<WorkerContext, "clock">,
): Promise<Response> {
  if (request.method === "GET" || request.method === "HEAD") return showConsent(request, config);
  if (request.method === "POST") return answerConsent(request, config, clock);
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
  const csrfToken = existing !== undefined && RANDOM_TOKEN_SHAPE.test(existing) ? existing : randomToken(24);
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

async function answerConsent(request: Request, config: Config, clock: Clock): Promise<Response> {
  const origin = originOf(request);
  const cookies = cookieJar(request);
  const isForm = mediaType(request.headers.get("Content-Type")) === "application/x-www-form-urlencoded";
  const text = isForm ? await readTextWithin(request, MAX_FORM_BYTES) : undefined;
  if (text === undefined)
    return problemPage(
      400,
      "This sign-in cannot continue",
      "The consent form was not sent as a form, or is too large.",
    );
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
      authorizationResponseUrl(redirectUri, origin, state, {
        error: "access_denied",
        error_description: "The person denied the request.",
      }),
      { cookies: [cookies.clear(CSRF_COOKIE)] },
    );
  }
  const approval = await approvedTransaction({ clientId: client.clientId, redirectUri, state }, cookies, clock);
  // The key's name at OpenRouter says which app holds it, through which server.
  const label = `${client.name ?? clientHost(client)} via ${new URL(origin).host}`;
  return redirectResponse(
    consentUrl(config.openRouterAuthUrl, `${origin}${approval.callbackPath}`, codeChallenge, label),
    {
      cookies: [cookies.clear(CSRF_COOKIE), approval.cookie],
    },
  );
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
