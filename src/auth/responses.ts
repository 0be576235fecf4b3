// What the OAuth endpoints answer: open CORS (they carry no cookies, so any browser-based MCP
// client may call them), RFC 6749 JSON errors, no caching of secrets, and the URLs that name us.
import { jsonErrorResponse, preflightResponse } from "../http.js";

export const OPEN_CORS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "WWW-Authenticate, Retry-After",
};

export function openPreflight(methods: string): Response {
  return preflightResponse(OPEN_CORS, methods, "Authorization, Content-Type, Accept, MCP-Protocol-Version");
}

export function oauthJson(status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      ...OPEN_CORS,
      ...extraHeaders,
    },
  });
}

/** An RFC 6749 §5.2 (or RFC 7591 §3.2.2) error answer: http.ts's JSON error, with open CORS. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  extraHeaders: Record<string, string> = {},
): Response {
  return jsonErrorResponse(status, error, description, { Pragma: "no-cache", ...OPEN_CORS, ...extraHeaders });
}

export function resourceUrl(origin: string): string {
  return `${origin}/mcp`;
}

export function resourceMetadataUrl(origin: string): string {
  return `${origin}/.well-known/oauth-protected-resource/mcp`;
}

/** RFC 8707 resource indicators name us when they equal <origin>/mcp (scheme and host in any case, one trailing slash allowed). */
export function isOurResource(value: string, origin: string): boolean {
  try {
    const url = new URL(value);
    if (url.hash !== "" || url.search !== "") return false;
    return url.origin === origin && (url.pathname === "/mcp" || url.pathname === "/mcp/");
  } catch {
    // Not a URL.
    return false;
  }
}
