// HTTP answers shared by the OAuth endpoints: open CORS (they carry no cookies, so any
// browser-based MCP client may call them), RFC 6749 JSON errors, and no caching of secrets.
import { readTextWithin } from "../transport/body.js";

export const OPEN_CORS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "WWW-Authenticate",
};

export function openPreflight(methods: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...OPEN_CORS,
      "Access-Control-Allow-Methods": methods,
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept, MCP-Protocol-Version",
      "Access-Control-Max-Age": "86400",
    },
  });
}

export function oauthJson(status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache", ...OPEN_CORS, ...extraHeaders },
  });
}

/** An RFC 6749 §5.2 (or RFC 7591 §3.2.2) error answer. */
export function oauthError(status: number, error: string, description: string, extraHeaders: Record<string, string> = {}): Response {
  return oauthJson(status, { error, error_description: description }, extraHeaders);
}

export function methodNotAllowed(allowed: string): Response {
  return oauthError(405, "invalid_request", `Method not allowed: use ${allowed}.`, { Allow: allowed });
}

/** Reads a request body of at most maxBytes as text; undefined when it is larger. */
export function readSmallBody(request: Request, maxBytes: number): Promise<string | undefined> {
  return readTextWithin(request, maxBytes);
}

/** A browser redirect that may carry a code: never cached, never leaks a Referer. */
export function redirectResponse(location: string, setCookies: string[] = [], status = 302): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status, headers });
}

/** Where this Worker's own endpoints live: the request's origin. */
export function originOf(request: Request): string {
  return new URL(request.url).origin;
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
    return false;
  }
}
