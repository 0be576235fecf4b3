// The credential is the person's OpenRouter key, sent as `Authorization: Bearer <key>`, and
// obtained by hand or through the OAuth flow this server offers (see authorize.ts). With
// TOKEN_SECRET set, the flow hands out sealed tokens instead (sealed.ts), opened here.
import type { Config } from "../config.js";
import { originOf } from "../http.js";
import { ErrorCode, type JsonRpcId } from "../mcp/jsonrpc.js";
import { keyRejected } from "../openrouter/keys.js";
import { jsonRpcErrorResponse } from "../transport/http.js";
import { resourceMetadataUrl, resourceUrl } from "./responses.js";
import { SEALED_PREFIX, unseal } from "./sealed.js";

function readBearerToken(request: Request): string | undefined {
  const header = request.headers.get("Authorization");
  if (header === null) return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Why a bearer token is refused before anything is asked of OpenRouter. */
export type BearerRefusal = "invalid" | "expired" | "keys-off";

/**
 * The OpenRouter key the Authorization header stands for (undefined when there is none), or
 * why it is refused: a sealed token must be an unexpired access token for this server's /mcp;
 * an OpenRouter key sent as is passes unless ACCEPT_OPENROUTER_KEYS is off. A token that looks
 * sealed is never sent to OpenRouter, even when this server can no longer open it.
 */
export async function keyFromBearer(request: Request, config: Config): Promise<{ key: string | undefined } | { refusal: BearerRefusal }> {
  const token = readBearerToken(request);
  const sealed = config.auth.sealedTokens;
  if (token === undefined) return { key: undefined };
  if (!token.startsWith(SEALED_PREFIX)) return (sealed?.acceptOpenRouterKeys ?? true) ? { key: token } : { refusal: "keys-off" };
  if (sealed === undefined) return { refusal: "invalid" };
  const opened = await unseal(sealed.secret, "access", token, resourceUrl(originOf(request)));
  return opened.ok ? { key: opened.contents.k } : { refusal: opened.expired ? "expired" : "invalid" };
}

/** Why a request is answered 401: no key, OpenRouter rejected it (the tools' KeyProblem), or a bearer refusal above. */
export type AuthFailure = "missing" | "rejected" | BearerRefusal;

const KEYS_PAGE = "https://openrouter.ai/settings/keys";

/** The requests a client sends to connect: they check the key (unless OPEN_DISCOVERY). */
const CONNECTING_METHODS: ReadonlySet<string> = new Set(["initialize", "server/discover"]);

/**
 * Unless OPEN_DISCOVERY: why these requests may not go on, if they may not. Without a key,
 * nothing does; a connecting request's key must be one OpenRouter accepts (when OpenRouter
 * cannot be asked, the connection goes ahead and the tool call will tell).
 */
export async function refusalOnConnect(methods: readonly string[], key: string | undefined, openRouterBaseUrl: string): Promise<AuthFailure | undefined> {
  if (key === undefined) return "missing";
  if (!methods.some((method) => CONNECTING_METHODS.has(method))) return undefined;
  return (await keyRejected(openRouterBaseUrl, key)) ? "rejected" : undefined;
}

/**
 * HTTP 401 that tells MCP clients to (re)authenticate, pointing them at our Protected Resource
 * Metadata (RFC 9728 §5.1) so they can discover where to log in. Never echoes the key.
 */
export function unauthorizedResponse(
  reason: AuthFailure,
  id: JsonRpcId | null,
  origin: string,
  extraHeaders: Record<string, string> = {},
): Response {
  const metadata = `resource_metadata="${resourceMetadataUrl(origin)}"`;
  // The error_description, then what the person should do.
  const answers: Record<typeof reason, [description: string, advice: string]> = {
    missing: ["", `Log in with OpenRouter through your MCP client, or send an OpenRouter API key as "Authorization: Bearer <key>" (create one at ${KEYS_PAGE})`],
    rejected: ["OpenRouter rejected this key", `: log in again or create a new key at ${KEYS_PAGE}`],
    invalid: ["This token was not issued by this server for this resource", " (or the server's secret changed): log in again"],
    expired: ["The access token expired", ": refresh it or log in again"],
    "keys-off": ["This server accepts only tokens it issued", ": log in through your MCP client"],
  };
  const [description, advice] = answers[reason];
  const challenge = description === "" ? `Bearer ${metadata}` : `Bearer ${metadata}, error="invalid_token", error_description="${description}"`;
  const message = `Unauthorized: ${description}${advice}.`;
  return jsonRpcErrorResponse(401, { code: ErrorCode.Unauthorized, message }, { ...extraHeaders, "WWW-Authenticate": challenge }, id);
}
