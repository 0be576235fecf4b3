// Which redirect URIs a client may register, and how a requested one is matched.
import { isLoopbackHostname } from "../http.js";

export const MAX_REDIRECT_URI_LENGTH = 2000;

/**
 * Schemes that are not a native app's own (RFC 8252 §7.1): they run script or name files and
 * browser internals, or they hand the URI to a browser or a web page, so the code would land on
 * a web site while the consent page said "an app on this device". A maintained list: add the
 * launch schemes of new browsers here (and a line to the test that walks it).
 */
export const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set([
  // script, files, browser internals, other protocols
  "javascript", "data", "vbscript", "file", "blob", "about", "filesystem", "view-source",
  "ftp", "ws", "wss", "mailto", "tel", "sms", "chrome", "chrome-extension", "resource", "jar",
  "edge", "opera", "vivaldi", "moz-extension", "safari-web-extension",
  // "open this URL in that browser"
  "microsoft-edge", "microsoft-edge-http", "microsoft-edge-https", "microsoft-edge-holographic",
  "x-safari", "x-safari-http", "x-safari-https",
  "googlechrome", "googlechromes", "googlechrome-x-callback",
  "firefox", "firefox-focus", "firefox-klar",
  "opera-http", "opera-https",
  "brave", "duckduckgo", "ddgquicklink", "yandexbrowser-open-url", "ucbrowser",
  "x-web-search", "intent", "android-app",
]);

/** Web pages registered as protocol handlers (registerProtocolHandler), and extension handlers. */
const FORBIDDEN_SCHEME_PREFIXES = ["web+", "ext+"];

/** RFC 8252 §7.1: a private-use scheme with a dot is a reverse domain name, e.g. com.example.app. */
const REVERSE_DOMAIN = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

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
  if (FORBIDDEN_SCHEMES.has(scheme) || FORBIDDEN_SCHEME_PREFIXES.some((prefix) => scheme.startsWith(prefix))) {
    return `uses the scheme "${scheme}:", which hands the response to a browser, a web page or no app at all`;
  }
  // Single-word schemes stay allowed: real clients use them (cursor://, vscode://).
  if (scheme.includes(".") && !REVERSE_DOMAIN.test(scheme)) return `uses the scheme "${scheme}:", which is not a reverse domain name (RFC 8252 §7.1)`;
  return undefined; // a private-use scheme, e.g. cursor://… or com.example.app:/callback
}

/** Where a redirect URI sends the code, in the person's words. */
export type RedirectKind = "web site" | "app on this device" | "program on this computer";

export function redirectKind(uri: string): RedirectKind {
  const url = new URL(uri);
  if (url.protocol === "https:") return "web site";
  return url.protocol === "http:" ? "program on this computer" : "app on this device";
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
