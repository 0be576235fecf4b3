// GET /: how to connect, and the browser login. A person opening it logged out is sent through
// OpenRouter's login; logged in, the page shows the key's label, limit and usage (never the key).
// Tools such as curl get the page itself, and so does any link carrying a query (`/?about`,
// `/?logged_out`): that is how our own pages link home without starting a login.
import { clearSessionCookie, LOGGED_OUT_PATH, sessionKey } from "../auth/browser-login.js";
import type { Config } from "../config.js";
import { redirectResponse } from "../http.js";
import type { KeyInfo } from "../openrouter/answers.js";
import { openRouterFor } from "../openrouter/client.js";
import { keyPages } from "../openrouter/keys.js";
import { clientSnippets } from "./clients.js";
import { escapeHtml, htmlPage } from "./layout.js";

/** What decides between the page and a redirect to the login. */
const VARY = "Cookie, Sec-Fetch-Mode, Sec-Fetch-Dest, Accept";

export async function homePage(request: Request, config: Config): Promise<Response> {
  const url = new URL(request.url);
  const origin = url.origin;
  const key = await sessionKey(request, config);
  const loggedOut = url.search === new URL(LOGGED_OUT_PATH, origin).search;
  if (key === undefined && url.search === "" && isBrowserNavigation(request)) {
    return redirectResponse("/login", { headers: { Vary: VARY } });
  }
  let account = loggedOutBox(loggedOut ? "<p><strong>You are logged out.</strong> This browser no longer holds a key.</p>" : "");
  const headers = new Headers({ "Cache-Control": "no-store", Vary: VARY });
  if (key !== undefined) {
    const lookup = await openRouterFor(config, origin).keyInfo(key);
    if (lookup.ok || !lookup.rejected) account = loggedInBox(lookup.ok ? lookup.info : undefined, await keyPages(key));
    else {
      headers.append("Set-Cookie", clearSessionCookie(request));
      account = loggedOutBox("<p><strong>OpenRouter no longer accepts the key from your last login</strong> (deleted, or out of credit limit). Log in again.</p>");
    }
  }
  const mcpUrl = `${origin}/mcp`;
  const body = `<h1>OpenRouter MCP</h1>
<p>An MCP server with one tool, <code>chat_completion</code>: send a prompt to any model on
<a href="https://openrouter.ai/models">OpenRouter</a> and watch the answer stream as progress.
The default model is <code>${escapeHtml(config.defaultModel)}</code>.</p>
${account}
<h2>Connect</h2>
<p>MCP endpoint (Streamable HTTP): <code>${escapeHtml(mcpUrl)}</code></p>
<p>Give your MCP client this URL. Clients that support MCP authorization (MCP Inspector, Claude, Cursor, VS Code)
sign you in with OpenRouter, where you set the credit limit of the key they receive. Calls are paid with your own OpenRouter
credits. You can also send a key you made yourself as <code>Authorization: Bearer &lt;key&gt;</code>
(create one at <a href="https://openrouter.ai/settings/keys">openrouter.ai/settings/keys</a>).</p>
${clientSnippets(mcpUrl)
  .map((c) => `<h3>${escapeHtml(c.client)}</h3>\n<p>${escapeHtml(c.where)}</p>${c.code === undefined ? "" : `\n<pre>${escapeHtml(c.code)}</pre>`}`)
  .join("\n")}`;
  const page = htmlPage("OpenRouter MCP", body, { headers });
  return request.method === "HEAD" ? new Response(null, { status: page.status, headers: page.headers }) : page;
}

/**
 * A person opening the page in a browser, not a script or a subresource. Browsers send
 * Sec-Fetch-Mode; one too old to send it still asks for HTML first.
 */
function isBrowserNavigation(request: Request): boolean {
  const mode = request.headers.get("Sec-Fetch-Mode");
  if (mode !== null) return mode === "navigate" && (request.headers.get("Sec-Fetch-Dest") ?? "document") === "document";
  return /^\s*text\/html/i.test(request.headers.get("Accept") ?? "");
}

function loggedOutBox(note: string): string {
  return `<div class="box" id="account">
${note}<p>Log in with OpenRouter to try this server from your browser session: OpenRouter creates a key with the credit limit you choose,
and this site keeps it only in a cookie on your browser.</p>
<p><a class="button primary" href="/login">Log in with OpenRouter</a></p>
</div>`;
}

function loggedInBox(info: KeyInfo | undefined, pages: { settings: string; activity: string }): string {
  const dollars = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
  const details =
    info === undefined
      ? "<p>OpenRouter did not answer just now, so the key's details are not shown.</p>"
      : `<dl>
<dt>Key</dt><dd id="key-label">${escapeHtml(info.label ?? "(no label)")}</dd>
<dt>Credit limit</dt><dd id="key-limit">${info.limit === null ? "no limit" : escapeHtml(dollars(info.limit))}</dd>
<dt>Used</dt><dd id="key-usage">${info.usage === undefined ? "unknown" : escapeHtml(dollars(info.usage))}</dd>
</dl>`;
  return `<div class="box" id="account">
<p><strong>Logged in with OpenRouter.</strong> The key is kept in this browser's cookie only; it is never shown.</p>
${details}
<p>On OpenRouter: <a id="key-settings" href="${pages.settings}">this key's settings</a> (limit, or delete it) and
<a id="key-activity" href="${escapeHtml(pages.activity)}">its activity</a>.</p>
<form method="post" action="/logout"><button type="submit">Log out</button></form>
</div>`;
}
