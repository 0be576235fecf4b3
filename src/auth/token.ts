// POST /token: the authorization_code grant. The client's code and PKCE verifier go to
// OpenRouter's POST {base}/auth/keys; the key that comes back is the access token.
//
// Stateless, so we cannot tie a code to the client_id it was issued for. PKCE does that job:
// OpenRouter releases the key only for the verifier whose challenge the client sent through
// /authorize, and only the client that made the challenge knows it.
import type { Config } from "../config.js";
import { exchangeCodeForKey } from "../openrouter/keys.js";
import { clientIdWellFormed } from "./clients.js";
import { mediaType, methodNotAllowed, originOf, readTextWithin } from "../http.js";
import { isOurResource, OPEN_CORS, oauthError, oauthJson, openPreflight } from "./responses.js";

const MAX_BODY_BYTES = 16 * 1024;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER_SHAPE = /^[A-Za-z0-9._~-]{43,128}$/;
const SINGLE_VALUED = ["grant_type", "code", "code_verifier", "redirect_uri", "client_id", "resource"];

export async function handleToken(request: Request, config: Config): Promise<Response> {
  if (request.method === "OPTIONS") return openPreflight("POST, OPTIONS");
  if (request.method !== "POST") return methodNotAllowed("POST", OPEN_CORS);
  if (mediaType(request.headers.get("Content-Type")) !== "application/x-www-form-urlencoded") {
    return oauthError(400, "invalid_request", "Send the token request as application/x-www-form-urlencoded.");
  }
  const text = await readTextWithin(request, MAX_BODY_BYTES);
  if (text === undefined) return oauthError(413, "invalid_request", "The token request is too large.");
  const form = new URLSearchParams(text);
  const repeated = SINGLE_VALUED.find((name) => form.getAll(name).length > 1);
  if (repeated) return oauthError(400, "invalid_request", `The parameter ${repeated} appears more than once.`);

  const grantType = form.get("grant_type");
  if (!grantType) return oauthError(400, "invalid_request", "grant_type is missing.");
  if (grantType !== "authorization_code") {
    return oauthError(400, "unsupported_grant_type", 'Only grant_type "authorization_code" is supported (OpenRouter keys do not expire, so there are no refresh tokens).');
  }
  const clientId = form.get("client_id");
  if (clientId !== null && !clientIdWellFormed(clientId)) return oauthError(401, "invalid_client", "Unknown client_id.");
  const resource = form.get("resource");
  if (resource !== null && !isOurResource(resource, originOf(request))) {
    return oauthError(400, "invalid_target", `This server issues keys only for the resource ${originOf(request)}/mcp.`);
  }
  const code = form.get("code");
  if (!code) return oauthError(400, "invalid_request", "code is missing.");
  const verifier = form.get("code_verifier");
  if (!verifier) return oauthError(400, "invalid_request", "code_verifier is missing: PKCE is required.");
  if (!VERIFIER_SHAPE.test(verifier)) return oauthError(400, "invalid_grant", "code_verifier is not a valid PKCE verifier.");

  const exchange = await exchangeCodeForKey(config.openRouterBaseUrl, code, verifier);
  if (exchange.ok) return oauthJson(200, { access_token: exchange.key, token_type: "Bearer" });
  if (exchange.refused) {
    return oauthError(400, "invalid_grant", "The code is invalid, expired or already used, or the code_verifier does not match it.");
  }
  console.warn(`oauth: OpenRouter's key exchange failed (${exchange.status === 0 ? "unreachable" : `HTTP ${exchange.status}`})`);
  return oauthError(502, "server_error", "OpenRouter could not exchange the code right now. Try signing in again.");
}
