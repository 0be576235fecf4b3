// Who is calling /mcp. The credential is the person's OpenRouter key, sent as
// `Authorization: Bearer <key>`, obtained by hand or through the OAuth flow this server offers
// (auth/authorize.ts); with TOKEN_SECRET, the flow hands out sealed tokens instead
// (auth/sealed.ts), opened here; the landing page's playground sends none, and its session
// cookie stands in (fromOwnPage). What a request needs of the key (mcp/key-needs.ts) is checked
// here, before any of its arguments are read; so are the 401 that sends a client to log in, and
// the 503 for a request that needs a verified key while OpenRouter cannot say.
import { sessionKey } from "../auth/browser-login.js";
import { resourceMetadataUrl, resourceUrl } from "../auth/responses.js";
import { SEALED_PREFIX, unseal } from "../auth/sealed.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { originOf } from "../http.js";
import { ErrorCode, type JsonRpcId } from "../mcp/jsonrpc.js";
import type { KeyNeeds } from "../mcp/key-needs.js";
import type { OpenRouter } from "../openrouter/client.js";
import { keyVerdict, UNKNOWN_VERDICT_SECONDS, type LookupBudget } from "../openrouter/key-verdicts.js";
import { looksLikeKey } from "../openrouter/keys.js";
import { PERIOD_SECONDS } from "../rate-limits.js";
import { jsonRpcErrorResponse } from "./http.js";

/** Why a bearer token is refused before anything is asked of OpenRouter. */
type BearerRefusal = "invalid" | "expired" | "keys-off" | "malformed";

/** Why a request is answered 401: no key, OpenRouter rejected it, or a bearer refusal above. */
type AuthFailure = "missing" | "rejected" | BearerRefusal;

/**
 * Why a request may not go on: a 401; "limited" (429) when its key is new to this server and its
 * address may not have more keys looked up this minute; "unverified" (503) when it needs a key
 * OpenRouter has vouched for, and OpenRouter did not answer when asked.
 */
export type Refusal = AuthFailure | "limited" | "unverified";

/** What the Authorization header stands for: a key (sealed: it came in a token we issued), none, or a refusal. */
export type Bearer =
  { ok: true; key: string; sealed: boolean } | { ok: true; key: undefined } | { ok: false; refusal: BearerRefusal };

function readBearerToken(request: Request): string | undefined {
  const header = request.headers.get("Authorization");
  if (header === null) return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The OpenRouter key the Authorization header stands for, or why it is refused: a sealed token
 * must be an unexpired access token for this server's /mcp; an OpenRouter key sent as is passes
 * unless ACCEPT_OPENROUTER_KEYS is off, when it is shaped like one. Nothing else is ever sent to
 * OpenRouter: not a token that looks sealed (even when this server can no longer open it), not
 * a token that could only be made up (20 KB of "x", control characters).
 */
export async function readBearer(request: Request, config: Config, clock: Clock): Promise<Bearer> {
  const token = readBearerToken(request);
  const sealedTokens = config.auth.sealedTokens;
  if (token === undefined) {
    const key = fromOwnPage(request) ? await sessionKey(request, config, clock) : undefined;
    return key === undefined ? { ok: true, key: undefined } : { ok: true, key, sealed: false };
  }
  if (!token.startsWith(SEALED_PREFIX)) {
    if (!(sealedTokens?.acceptOpenRouterKeys ?? true)) return { ok: false, refusal: "keys-off" };
    return looksLikeKey(token) ? { ok: true, key: token, sealed: false } : { ok: false, refusal: "malformed" };
  }
  if (sealedTokens === undefined) return { ok: false, refusal: "invalid" };
  const opened = await unseal(sealedTokens.secret, "access", token, resourceUrl(originOf(request)), clock);
  return opened.ok
    ? { ok: true, key: opened.contents.k, sealed: true }
    : { ok: false, refusal: opened.expired ? "expired" : "invalid" };
}

/**
 * The landing page's playground calls /mcp with the browser's session cookie instead of a token.
 * Only our own page may: its Origin is ours exactly (not merely one ALLOWED_ORIGINS lets call
 * with a token) and Fetch Metadata agrees. Another site cannot get there: its Origin differs,
 * the cookie is SameSite=Lax (never sent on a cross-site POST), and /mcp takes only JSON, which
 * a cross-site form cannot send and a cross-site fetch must ask (CORS preflight) to send.
 */
function fromOwnPage(request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (origin === null) return false;
  const site = request.headers.get("Sec-Fetch-Site");
  return origin === originOf(request) && (site === null || site === "same-origin");
}

/**
 * Why a request with these needs may not go on, if it may not. A raw key is looked up at
 * OpenRouter (the verdict remembered: openrouter/key-verdicts.ts); one inside a sealed token,
 * which this server sealed only once OpenRouter had vouched for it, only when connecting. A
 * verdict OpenRouter could not give stops only what needs a verified key: what would leave state
 * behind (a task, a background call), read a durable call, or use the big body's room.
 * `lookups` is asked before a key new to this server is looked up: "limited" when it says no.
 */
export async function refusal(
  bearer: Bearer,
  needs: KeyNeeds,
  openRouter: OpenRouter,
  clock: Clock,
  lookups?: LookupBudget,
): Promise<Refusal | undefined> {
  if (!bearer.ok) return bearer.refusal;
  if (!needs.key) return undefined;
  if (bearer.key === undefined) return "missing";
  if (bearer.sealed && !needs.askSealed) return undefined;
  const verdict = await keyVerdict(openRouter, bearer.key, clock, lookups);
  if (verdict === "rejected") return "rejected";
  if (verdict === "unasked") return "limited";
  // A sealed token's key was vouched for when it was sealed.
  return verdict === "unknown" && needs.verified && !bearer.sealed ? "unverified" : undefined;
}

const KEYS_PAGE = "https://openrouter.ai/settings/keys";

/**
 * The answer to a refused request: the 401 below; for "limited" a 429 with Retry-After (an
 * address that sends ever new keys would otherwise have each one looked up at OpenRouter); for
 * "unverified" a 503 with Retry-After, when the key will be asked about again.
 */
export function refusalResponse(
  reason: Refusal,
  id: JsonRpcId | null,
  origin: string,
  extraHeaders: Record<string, string> = {},
): Response {
  if (reason === "limited") {
    const message =
      "Too many keys OpenRouter did not accept were sent from your address this minute. Try again in a minute.";
    return jsonRpcErrorResponse(
      429,
      { code: ErrorCode.RateLimited, message },
      { ...extraHeaders, "Retry-After": String(PERIOD_SECONDS) },
      id,
    );
  }
  if (reason === "unverified") {
    const message =
      "OpenRouter could not be asked whether this key is valid, and this request needs to know: it starts a task or a " +
      `background completion, asks about one, or sends over 1 MiB. Try again in ${UNKNOWN_VERDICT_SECONDS} seconds.`;
    return jsonRpcErrorResponse(
      503,
      { code: ErrorCode.Unavailable, message },
      { ...extraHeaders, "Retry-After": String(UNKNOWN_VERDICT_SECONDS) },
      id,
    );
  }
  return unauthorizedResponse(reason, id, origin, extraHeaders);
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
    malformed: [
      "This is neither an OpenRouter key nor a token this server issued",
      `: send a key as it was given (sk-or-...; create one at ${KEYS_PAGE}), or log in through your MCP client`,
    ],
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
