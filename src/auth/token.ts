// POST /token: the authorization_code grant. The client's code and PKCE verifier go to
// OpenRouter's POST {base}/auth/keys; the key that comes back is the access token, or, with
// TOKEN_SECRET set, is sealed into an access token and a refresh token (see sealed.ts).
//
// Stateless, so we cannot tie a code to the client_id it was issued for. PKCE does that job:
// OpenRouter releases the key only for the verifier whose challenge the client sent through
// /authorize, and only the client that made the challenge knows it.
import type { Clock } from "../clock.js";
import type { Config, SealedTokens, WorkerContext } from "../config.js";
import { openRouterFor } from "../openrouter/client.js";
import { clientIdWellFormed } from "./clients.js";
import { mediaType, methodNotAllowed, originOf, readTextWithin } from "../http.js";
import { grantTypes } from "./metadata.js";
import { isOurResource, OPEN_CORS, oauthError, oauthJson, openPreflight, resourceUrl } from "./responses.js";
import { clientDigest, nowSeconds, seal, unseal } from "./sealed.js";

const MAX_BODY_BYTES = 16 * 1024;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER_SHAPE = /^[\w.~-]{43,128}$/;
const SINGLE_VALUED = ["grant_type", "code", "code_verifier", "redirect_uri", "client_id", "resource", "refresh_token"];

export async function handleToken(
  request: Request,
  config: Config,
  { clock }: Pick<WorkerContext, "clock">,
): Promise<Response> {
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
  const sealed = config.auth.sealedTokens;
  const refreshing = grantType === "refresh_token" && sealed !== undefined;
  if (grantType !== "authorization_code" && !refreshing) {
    return oauthError(400, "unsupported_grant_type", `Use grant_type ${grantTypes(config).join(" or ")}.`);
  }
  const clientId = form.get("client_id");
  if (clientId !== null && !clientIdWellFormed(clientId)) {
    // RFC 6749 §5.2: a 401 names the authentication scheme; ours are public clients, so the
    // scheme a client tried (if any) is named back, Basic otherwise.
    const scheme = /^\s*([A-Z][\w-]*)\s/i.exec(request.headers.get("Authorization") ?? "")?.[1] ?? "Basic";
    return oauthError(401, "invalid_client", "Unknown client_id.", {
      "WWW-Authenticate": `${scheme} realm="${originOf(request)}/token"`,
    });
  }
  const resource = form.get("resource");
  if (resource !== null && !isOurResource(resource, originOf(request))) {
    return oauthError(400, "invalid_target", `This server issues keys only for the resource ${originOf(request)}/mcp.`);
  }
  // Sealed tokens name the client they were issued to, so it must say who it is (RFC 6749 §4.1.3).
  if (sealed !== undefined && clientId === null) return oauthError(400, "invalid_request", "client_id is missing.");
  if (refreshing) return refreshGrant(form.get("refresh_token"), clientId!, originOf(request), sealed, config, clock);
  const code = form.get("code");
  if (!code) return oauthError(400, "invalid_request", "code is missing.");
  const verifier = form.get("code_verifier");
  if (!verifier) return oauthError(400, "invalid_request", "code_verifier is missing: PKCE is required.");
  if (!VERIFIER_SHAPE.test(verifier))
    return oauthError(400, "invalid_grant", "code_verifier is not a valid PKCE verifier.");

  const exchange = await openRouterFor(config, originOf(request), undefined, clock).exchangeCode(code, verifier);
  if (exchange.ok) {
    if (sealed === undefined) return oauthJson(200, { access_token: exchange.key, token_type: "Bearer" });
    return issueTokens(
      exchange.key,
      await clientDigest(clientId!),
      nowSeconds(clock) + sealed.refreshTokenSeconds,
      originOf(request),
      sealed,
      clock,
    );
  }
  if (exchange.refused) {
    return oauthError(
      400,
      "invalid_grant",
      "The code is invalid, expired or already used, or the code_verifier does not match it.",
    );
  }
  console.warn(
    `oauth: OpenRouter's key exchange failed (${exchange.status === 0 ? "unreachable" : `HTTP ${exchange.status}`})`,
  );
  return oauthError(502, "server_error", "OpenRouter could not exchange the code right now. Try signing in again.");
}

/**
 * RFC 6749 §6. The refresh token must be ours, for this issuer, unexpired, and presented by the
 * client it was issued to; and OpenRouter must still accept the key inside (a key deleted at
 * OpenRouter ends the login here rather than in a loop of fresh tokens it refuses). Every refusal
 * is invalid_grant, which sends a client back to a full login.
 *
 * When OpenRouter cannot be asked (unreachable, too slow, rate limited, failing), nothing is
 * minted: tokens are issued only for a key OpenRouter has just vouched for. The answer is 503
 * temporarily_unavailable (with OpenRouter's Retry-After, if it gave one), not invalid_grant, since
 * the login has not ended: the refresh token stays valid, and clients such as the MCP SDK keep it
 * and report the error rather than start a new login, which could not succeed then either.
 *
 * Rotation: each answer carries a new refresh token, but with nothing stored an earlier one stays
 * usable until it expires. So the expiry never moves: every refresh token of a login ends when
 * the first did, REFRESH_TOKEN_TTL_SECONDS after the person approved.
 */
async function refreshGrant(
  presented: string | null,
  clientId: string,
  origin: string,
  sealed: SealedTokens,
  config: Config,
  clock: Clock,
): Promise<Response> {
  if (!presented) return oauthError(400, "invalid_request", "refresh_token is missing.");
  const opened = await unseal(sealed.secret, "refresh", presented, origin, clock);
  if (!opened.ok) {
    return oauthError(
      400,
      "invalid_grant",
      opened.expired
        ? "The refresh token expired: log in again."
        : "This refresh token was not issued here, or the server's secret changed: log in again.",
    );
  }
  const { k: key, c: client, e: loginEnds } = opened.contents;
  if (client !== (await clientDigest(clientId)))
    return oauthError(400, "invalid_grant", "This refresh token was issued to another client.");
  const lookup = await openRouterFor(config, origin, undefined, clock).keyInfo(key);
  if (lookup.ok) return issueTokens(key, client, loginEnds, origin, sealed, clock);
  if (lookup.rejected)
    return oauthError(400, "invalid_grant", "OpenRouter no longer accepts this login's key: log in again.");
  const retry: Record<string, string> =
    lookup.retryAfterSeconds === undefined ? {} : { "Retry-After": String(lookup.retryAfterSeconds) };
  return oauthError(
    503,
    "temporarily_unavailable",
    "OpenRouter could not be asked whether this login's key still works. Retry in a moment: the refresh token stays valid.",
    retry,
  );
}

/** The token answer with sealed tokens: an access token for our /mcp, and a refresh token ending at loginEnds. */
async function issueTokens(
  key: string,
  client: string,
  loginEnds: number,
  origin: string,
  { secret, accessTokenSeconds }: SealedTokens,
  clock: Clock,
): Promise<Response> {
  const now = nowSeconds(clock);
  const expires = Math.min(now + accessTokenSeconds, loginEnds);
  const [accessToken, refreshToken] = await Promise.all([
    seal(secret, "access", { k: key, a: resourceUrl(origin), c: client, e: expires }),
    seal(secret, "refresh", { k: key, a: origin, c: client, e: loginEnds }),
  ]);
  return oauthJson(200, {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: expires - now,
    refresh_token: refreshToken,
  });
}
