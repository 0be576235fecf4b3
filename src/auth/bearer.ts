// The credential is the person's OpenRouter key, sent as `Authorization: Bearer <key>`, and
// obtained by hand or through the OAuth flow this server offers (see authorize.ts).
import { errorJson, type JsonRpcId } from "../mcp/jsonrpc.js";
import { resourceMetadataUrl } from "./responses.js";

export function readBearerToken(request: Request): string | undefined {
  const header = request.headers.get("Authorization");
  if (header === null) return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const KEYS_PAGE = "https://openrouter.ai/settings/keys";

/**
 * HTTP 401 that tells MCP clients to (re)authenticate, pointing them at our Protected Resource
 * Metadata (RFC 9728 §5.1) so they can discover where to log in. Never echoes the key.
 */
export function unauthorizedResponse(
  reason: "missing" | "rejected",
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
  return new Response(errorJson(id, { code: -32001, message }), {
    status: 401,
    headers: { "Content-Type": "application/json", "WWW-Authenticate": challenge, ...extraHeaders },
  });
}
