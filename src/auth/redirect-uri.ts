// Which redirect URIs a client may register, and how a requested one is matched.
import { isLoopbackHostname } from "../http.js";

export const MAX_REDIRECT_URI_LENGTH = 2000;

/** Schemes that are never a native app's private-use scheme (RFC 8252 §7.1) and could do harm. */
const FORBIDDEN_SCHEMES = new Set([
  "javascript", "data", "vbscript", "file", "blob", "about", "filesystem", "view-source",
  "ftp", "ws", "wss", "mailto", "tel", "sms", "chrome", "chrome-extension", "resource", "jar",
]);

/**
 * Why `value` cannot be a redirect URI, or undefined when it can: https anywhere, http only
 * on a loopback host (any port, RFC 8252 §7.3), or a native app's private-use scheme.
 * Never a fragment (RFC 6749 §3.1.2) or credentials in the URI.
 */
export function redirectUriProblem(value: string): string | undefined {
  if (value.length > MAX_REDIRECT_URI_LENGTH) return `is longer than ${MAX_REDIRECT_URI_LENGTH} characters`;
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return "contains whitespace or control characters";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not an absolute URI";
  }
  if (value.includes("#")) return "must not contain a fragment";
  if (url.username !== "" || url.password !== "") return "must not contain credentials";
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === "https") return url.hostname === "" ? "has no host" : undefined;
  if (scheme === "http") {
    return isLoopbackHostname(url.hostname)
      ? undefined
      : "uses http on a host that is not loopback (use https, or http://127.0.0.1 / http://localhost for a native app)";
  }
  if (FORBIDDEN_SCHEMES.has(scheme)) return `uses the scheme "${scheme}:", which cannot receive an authorization response`;
  return undefined; // a private-use scheme, e.g. cursor://… or com.example.app:/callback
}

/**
 * True when the redirect URI of an authorization request is one the client registered:
 * an exact string match, except that a loopback http redirect may name any port (RFC 8252 §7.3),
 * since a native app binds whatever port is free when it starts the flow.
 */
export function redirectUriAllowed(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const asked = loopbackHttp(requested);
  if (!asked) return false;
  return registered.some((r) => {
    const known = loopbackHttp(r);
    return known !== undefined && known.hostname === asked.hostname && known.pathname === asked.pathname && known.search === asked.search;
  });
}

function loopbackHttp(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" && isLoopbackHostname(url.hostname) && !value.includes("#") ? url : undefined;
  } catch {
    return undefined;
  }
}
