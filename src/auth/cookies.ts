// Cookies for the browser parts of the flow. Off loopback they are Secure and carry the
// __Host- prefix (no Domain, Path=/, so a sibling subdomain cannot plant or overwrite them);
// on loopback (wrangler dev over plain http) neither is possible, so both are dropped.
import { servedOnLoopback } from "../http.js";

export interface CookieJar {
  get(name: string): string | undefined;
  /** The Set-Cookie header value for `name`; maxAgeSeconds 0 deletes it. */
  set(name: string, value: string, options: { maxAgeSeconds: number; sameSite: "Lax" | "Strict" }): string;
  clear(name: string): string;
}

export function cookieJar(request: Request): CookieJar {
  const secure = !servedOnLoopback(request);
  const prefix = secure ? "__Host-" : "";
  const sent = parseCookieHeader(request.headers.get("Cookie"));
  const set: CookieJar["set"] = (name, value, { maxAgeSeconds, sameSite }) =>
    [
      `${prefix}${name}=${value}`,
      "Path=/",
      `Max-Age=${maxAgeSeconds}`,
      "HttpOnly",
      `SameSite=${sameSite}`,
      ...(secure ? ["Secure"] : []),
    ].join("; ");
  return {
    get: (name) => sent.get(`${prefix}${name}`),
    set,
    clear: (name) => set(name, "", { maxAgeSeconds: 0, sameSite: "Lax" }),
  };
}

function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    // The first occurrence wins: browsers send the most specific (longest path) cookie first.
    if (name && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}
