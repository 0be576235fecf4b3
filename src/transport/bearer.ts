// Who is calling /mcp. The credential is the person's OpenRouter key, sent as
// `Authorization: Bearer <key>`, obtained by hand or through the OAuth flow this server offers
// (auth/authorize.ts); with TOKEN_SECRET, the flow hands out sealed tokens instead
// (auth/sealed.ts), opened here; the landing page's playground sends none, and its session
// cookie stands in (fromOwnPage). Every request needs a key unless OPEN_DISCOVERY, and a key
// must be one OpenRouter accepts; the 401 that sends a client to log in is answered here too.
import { sessionKey } from "../auth/browser-login.js";
import { resourceMetadataUrl, resourceUrl } from "../auth/responses.js";
import { SEALED_PREFIX, unseal } from "../auth/sealed.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { originOf } from "../http.js";
import { ErrorCode, type JsonRpcId, type JsonRpcRequest } from "../mcp/jsonrpc.js";
import type { OpenRouter } from "../openrouter/client.js";
import { keyVerdict } from "../openrouter/key-verdicts.js";
import { PERIOD_SECONDS } from "../rate-limits.js";
import { jsonRpcErrorResponse } from "./http.js";

/** Why a bearer token is refused before anything is asked of OpenRouter. */
type BearerRefusal = "invalid" | "expired" | "keys-off";

/** Why a request is answered 401: no key, OpenRouter rejected it, or a bearer refusal above. */
type AuthFailure = "missing" | "rejected" | BearerRefusal;

/** Why a request may not go on: a 401, or "limited" (429) when its key is new to this server and its address may not have more keys checked this minute. */
export type Refusal = AuthFailure | "limited";

/** What the Authorization header stands for: a key (sealed: it came in a token we issued), none, or a refusal. */
export type Bearer = { key: string; sealed: boolean } | { key: undefined } | { refusal: BearerRefusal };

function readBearerToken(request: Request): string | undefined {
  const header = request.headers.get("Authorization");
  if (header === null) return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The OpenRouter key the Authorization header stands for, or why it is refused: a sealed token
 * must be an unexpired access token for this server's /mcp; an OpenRouter key sent as is passes
 * unless ACCEPT_OPENROUTER_KEYS is off. A token that looks sealed is never sent to OpenRouter,
 * even when this server can no longer open it.
 */
export async function readBearer(request: Request, config: Config, clock: Clock): Promise<Bearer> {
  const token = readBearerToken(request);
  const sealedTokens = config.auth.sealedTokens;
  if (token === undefined) {
    const key = fromOwnPage(request) ? await sessionKey(request, config, clock) : undefined;
    return key === undefined ? { key: undefined } : { key, sealed: false };
  }
  if (!token.startsWith(SEALED_PREFIX))
    return (sealedTokens?.acceptOpenRouterKeys ?? true) ? { key: token, sealed: false } : { refusal: "keys-off" };
  if (sealedTokens === undefined) return { refusal: "invalid" };
  const opened = await unseal(sealedTokens.secret, "access", token, resourceUrl(originOf(request)), clock);
  return opened.ok ? { key: opened.contents.k, sealed: true } : { refusal: opened.expired ? "expired" : "invalid" };
}

/**
 * The landing page's playground calls /mcp with the browser's session cookie instead of a token.
 * Only our own page may: its Origin is ours exactly (not merely one ALLOWED_ORIGINS lets call
 * with a token) and Fetch Metadata agrees. Another site cannot get there: its Origin differs,
 * the cookie is SameSite=Lax (never sent on a cross-site POST), and /mcp takes only JSON, which
 * a cross-site form cannot send and a cross-site fetch must ask (CORS preflight) to send.
 */
function fromOwnPage(request: Request): boolean {
  const site = request.headers.get("Sec-Fetch-Site");
  return request.headers.get("Origin") === originOf(request) && (site === null || site === "same-origin");
}

/** The requests a client sends to connect: their key is checked with OpenRouter even inside a sealed token. */
const CONNECTING_METHODS: ReadonlySet<string> = new Set(["initialize", "server/discover"]);

/**
 * Why these requests may not go on, if they may not. Unless OPEN_DISCOVERY, every request needs
 * a key that OpenRouter accepts: an OpenRouter key sent as is is checked on every request (the
 * answer remembered for a minute: openrouter/key-verdicts.ts); one inside a sealed token, which
 * only this server can have made, when connecting. With OPEN_DISCOVERY, what needs a key (a chat)
 * asks for one itself, and a key that comes with a chat_completion call is checked as above.
 */
export async function refusal(
  bearer: Bearer,
  requests: readonly JsonRpcRequest[],
  config: Config,
  openRouter: OpenRouter,
  mayAsk?: () => Promise<boolean>,
): Promise<Refusal | undefined> {
  if ("refusal" in bearer) return bearer.refusal;
  if (requests.length === 0) return undefined;
  if (config.auth.openDiscovery) {
    // A chat may leave state behind (a durable call's objects, kept an hour): the key sent with it
    // must be one OpenRouter accepts before any of that, not a made-up one.
    const mayLeaveState =
      bearer.key !== undefined &&
      requests.some((r) => r.method === "tools/call" && r.params?.name === "chat_completion");
    return mayLeaveState ? keyRefusal(bearer, openRouter, false, mayAsk) : undefined;
  }
  return keyRefusal(
    bearer,
    openRouter,
    requests.some((r) => CONNECTING_METHODS.has(r.method)),
    mayAsk,
  );
}

/**
 * Why this bearer is not a key OpenRouter accepts, whatever the mode: what a body past
 * MAX_BODY_BYTES needs (transport/streamable-http.ts). A sealed token's key is asked about
 * only when `askSealed`: only this server can have made the token. `mayAsk` is asked before a
 * key new to this server is looked up: "limited" when it says no.
 */
export async function keyRefusal(
  bearer: Bearer,
  openRouter: OpenRouter,
  askSealed = false,
  mayAsk?: () => Promise<boolean>,
): Promise<Refusal | undefined> {
  if ("refusal" in bearer) return bearer.refusal;
  if (bearer.key === undefined) return "missing";
  if (!askSealed && bearer.sealed) return undefined;
  const verdict = await keyVerdict(openRouter, bearer.key, undefined, mayAsk);
  return verdict === "rejected" ? "rejected" : verdict === "unasked" ? "limited" : undefined;
}

const KEYS_PAGE = "https://openrouter.ai/settings/keys";

/**
 * The answer to a refused request: the 401 below, or for "limited" a 429 with Retry-After (an
 * address that sends ever new keys would otherwise have each one looked up at OpenRouter).
 */
export function refusalResponse(
  reason: Refusal,
  id: JsonRpcId | null,
  origin: string,
  extraHeaders: Record<string, string> = {},
): Response {
  if (reason !== "limited") return unauthorizedResponse(reason, id, origin, extraHeaders);
  const message =
    "Too many different keys sent from your address this minute, each checked with OpenRouter. Try again in a minute.";
  return jsonRpcErrorResponse(
    429,
    { code: ErrorCode.RateLimited, message },
    { ...extraHeaders, "Retry-After": String(PERIOD_SECONDS) },
    id,
  );
}

/**
 * HTTP 401 that tells MCP clients to (re)authenticate, pointing them at our Protected Resource
 * Metadata (RFC 9728 §5.1) so they can discover where to log in. Never echoes the key. `id` is
 * the lone request's, or null for a batch.
 */
function unauthorizedResponse(
  reason: AuthFailure,
  id: JsonRpcId | null,
  origin: string,
  extraHeaders: Record<string, string> = {},
): Response {
  const metadata = `resource_metadata="${resourceMetadataUrl(origin)}"`;
  // The error_description, then what the person should do.
  const answers: Record<typeof reason, [description: string, advice: string]> = {
    missing: [
      "",
      `Log in with OpenRouter through your MCP client, or send an OpenRouter API key as "Authorization: Bearer <key>" (create one at ${KEYS_PAGE})`,
    ],
    rejected: ["OpenRouter rejected this key", `: log in again or create a new key at ${KEYS_PAGE}`],
    invalid: [
      "This token was not issued by this server for this resource",
      " (or the server's secret changed): log in again",
    ],
    expired: ["The access token expired", ": refresh it or log in again"],
    "keys-off": ["This server accepts only tokens it issued", ": log in through your MCP client"],
  };
  const [description, advice] = answers[reason];
  const challenge =
    description === ""
      ? `Bearer ${metadata}`
      : `Bearer ${metadata}, error="invalid_token", error_description="${description}"`;
  const message = `Unauthorized: ${description}${advice}.`;
  return jsonRpcErrorResponse(
    401,
    { code: ErrorCode.Unauthorized, message },
    { ...extraHeaders, "WWW-Authenticate": challenge },
    id,
  );
}
