// The credential is the person's OpenRouter key, sent as `Authorization: Bearer <key>`, and
// obtained by hand or through the OAuth flow this server offers (see authorize.ts).
import { ErrorCode, type JsonRpcId } from "../mcp/jsonrpc.js";
import { keyRejected } from "../openrouter/keys.js";
import { jsonRpcErrorResponse } from "../transport/http.js";
import { resourceMetadataUrl } from "./responses.js";

export function readBearerToken(request: Request): string | undefined {
  const header = request.headers.get("Authorization");
  if (header === null) return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Why a request is answered 401: it carries no key, or OpenRouter rejected the one it carries. */
export type AuthFailure = "missing" | "rejected";

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
  const challenge =
    reason === "missing"
      ? `Bearer ${metadata}`
      : `Bearer ${metadata}, error="invalid_token", error_description="OpenRouter rejected this key"`;
  const message =
    reason === "missing"
      ? `Unauthorized: log in with OpenRouter through your MCP client, or send an OpenRouter API key as "Authorization: Bearer <key>" (create one at ${KEYS_PAGE}).`
      : `Unauthorized: OpenRouter rejected this API key. Log in again or create a new key at ${KEYS_PAGE}.`;
  return jsonRpcErrorResponse(401, { code: ErrorCode.Unauthorized, message }, { ...extraHeaders, "WWW-Authenticate": challenge }, id);
}
