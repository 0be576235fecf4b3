// Which redirect URIs a client may register, and how a requested one is matched.
//
// Allow what is known to be an app, refuse the rest: a deny list of browser schemes can never be
// complete (touch-https:, puffin:, ms-word:ofe|u|https://…, ms-appinstaller:?source=https://…,
// feed:, webcal:, itms-services:, search-ms: all hand a URL to something other than an app), and
// a code sent there lands wherever that URL points while the consent page says "an app".
import { isLoopbackHostname } from "../http.js";

export const MAX_REDIRECT_URI_LENGTH = 2000;

/**
 * The single-word private-use schemes that MCP hosts register, each a desktop app's own:
 * - cursor: Cursor registers cursor://anysphere.cursor-mcp/oauth/callback (cursor.com/docs/mcp;
 *   makeplane/plane-mcp-server#159, different-ai/openwork#3059).
 * - claude: the Claude desktop app registers claude://claude.ai/mcp-auth-callback/sdk
 *   (anthropics/claude-code#93671, RevenueCat/ai-toolkit#58); claude.ai itself uses https.
 * - VS Code and its forks register https://vscode.dev/redirect and loopback URIs themselves
 *   (microsoft/vscode src/vs/base/common/oauth.ts, fetchDynamicRegistration; Positron the same,
 *   posit-dev/positron#13446), but MCP clients running as extensions register the editor's
 *   own scheme, vscode.env.uriScheme: Cline sends <scheme>://saoudrizwan.claude-dev/mcp-auth/
 *   callback/… (cline/cline#8103, src/hosts/vscode/hostbridge/env/getIdeRedirectUri.ts). Those
 *   schemes are the product URL protocols: vscode, vscode-insiders, vscodium (VSCodium's
 *   product.json), cursor, windsurf, positron, kiro (kiro://kiro.oauth/callback,
 *   kirodotdev/Kiro#6087), trae, antigravity.
 * Zed registers only loopback URIs in its metadata document (zed-industries/zed#51768), so
 * zed: is not needed. Any other app can use a reverse-domain scheme (RFC 8252 §7.1).
 * Adding a scheme here: cite where the host registers it, and add it to the test that walks this list.
 */
export const APP_SCHEMES: ReadonlySet<string> = new Set([
  "cursor",
  "claude",
  "vscode",
  "vscode-insiders",
  "vscodium",
  "windsurf",
  "positron",
  "kiro",
  "trae",
  "antigravity",
]);

/** RFC 8252 §7.1: a private-use scheme named after a domain the app's maker controls, e.g. com.example.app. */
const REVERSE_DOMAIN = /^[a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+$/;

/** An http(s) URL inside a custom-scheme URI, even percent-encoded: whoever handles it may open it. */
const EMBEDDED_WEB_URL = /https?:/i;

const HOW_TO_REGISTER =
  "register an https URL, a loopback URL such as http://127.0.0.1:PORT/callback, or an app's own scheme " +
  "named after a domain its maker controls (RFC 8252 §7.1), such as com.example.app:/callback";

/**
 * Why `value` cannot be a redirect URI, or undefined when it can: https anywhere, http only
 * on a loopback host (any port, RFC 8252 §7.3), a reverse-domain private-use scheme, or one of
 * the APP_SCHEMES. Always in canonical form (what the URL parser would write back), so that
 * every reader sees the host this server sees; never a fragment (RFC 6749 §3.1.2) or credentials.
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
  const scheme = url.protocol.slice(0, -1);
  const web = scheme === "https" || scheme === "http";
  if (!web && !APP_SCHEMES.has(scheme) && !REVERSE_DOMAIN.test(scheme)) {
    return `uses the scheme "${scheme}:", which is not known to be an app's own (it may hand the code to a browser or a web page): ${HOW_TO_REGISTER}`;
  }
  // `https://good.example\@evil.example/cb` is https://good.example/@evil.example/cb to this
  // parser and may be evil.example to another; `https:evil.example/cb` reads as a path to some.
  // Only the scheme's case may differ (schemes are case-insensitive, and apps such as
  // com.indragie.Context:// register theirs in mixed case).
  if (url.href !== scheme + value.slice(scheme.length))
    return `is not in canonical form: register it exactly as ${JSON.stringify(url.href)}`;
  if (scheme === "https") return url.hostname === "" ? "has no host" : undefined;
  if (scheme === "http") {
    return isLoopbackHostname(url.hostname)
      ? undefined
      : "uses http on a host that is not loopback (use https, or http://127.0.0.1 / http://localhost for a native app)";
  }
  const rest = value.slice(scheme.length + 1);
  if (EMBEDDED_WEB_URL.test(rest) || EMBEDDED_WEB_URL.test(percentDecoded(rest))) {
    return `carries a web address inside the "${scheme}:" URI, which whatever handles it may open: ${HOW_TO_REGISTER}`;
  }
  return undefined;
}

/** The text with percent-escapes decoded, twice over (so %2568 is found too); undecodable escapes are kept. */
function percentDecoded(text: string): string {
  const once = (t: string) =>
    t.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        // Not UTF-8: compared as written.
        return run;
      }
    });
  return once(once(text));
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
    return (
      known !== undefined &&
      known.hostname === asked.hostname &&
      known.pathname === asked.pathname &&
      known.search === asked.search
    );
  });
}

function loopbackHttp(value: string): URL | undefined {
  try {
    const url = new URL(value);
    // Canonical only, as at registration: the port may vary, nothing else may be spelled otherwise.
    return url.protocol === "http:" && isLoopbackHostname(url.hostname) && url.href === value && !value.includes("#")
      ? url
      : undefined;
  } catch {
    // Not a URL.
    return undefined;
  }
}
