// GET /: what this server is, how to connect each client, and the browser login. Logged in, the
// page shows the key's label, limit and usage (never the key) and a playground: a small MCP Apps
// host (web/playground/) that calls /mcp with the session cookie and shows each call in the same
// view Apps hosts render (web/view/). It never sends anyone to a login by itself.
import type { Config } from "../config.js";
import { isLoopbackHostname } from "../http.js";
import type { KeyInfo } from "../openrouter/answers.js";
import { openRouterFor } from "../openrouter/client.js";
import { keyInfoLately } from "../openrouter/key-verdicts.js";
import { keyPages } from "../openrouter/keys.js";
import { clientSnippets } from "./clients.js";
import { escapeHtml, htmlPage, LOGGED_OUT_PATH } from "./layout.js";

const KEYS_PAGE = "https://openrouter.ai/settings/keys";
/** A key the offline demo's stand-in OpenRouter accepts, as `npm run demo` prints it (stand-in/keys.ts). */
export const DEMO_KEY = "sk-or-v1-demo-key";
/** The page's script: web/playground/, bundled into a static asset (wrangler.toml [build], [assets]). */
const SCRIPT_PATH = "/build/playground.js";

/** This browser's login, as its session cookie holds it (auth/browser-login.ts reads it). */
export interface BrowserSession {
  key: string | undefined;
  /** The Set-Cookie value that forgets it, for a key OpenRouter no longer accepts. */
  forget: string;
}

export async function homePage(request: Request, config: Config, { key, forget }: BrowserSession): Promise<Response> {
  const url = new URL(request.url);
  const origin = url.origin;
  const loggedOut = url.search === new URL(LOGGED_OUT_PATH, origin).search;
  let account = loggedOutBox(
    loggedOut
      ? `<p><strong>You are logged out.</strong> This browser forgot the key, but it still exists at OpenRouter:
delete it at <a href="${KEYS_PAGE}">openrouter.ai/settings/keys</a> (“Browser login via ${escapeHtml(url.host)}”).</p>`
      : "",
  );
  const headers = new Headers({ "Cache-Control": "no-store", Vary: "Cookie" });
  let playground = "";
  if (key !== undefined) {
    // A key OpenRouter rejected lately is not asked about again (a made-up cookie, sent over and over).
    const lookup = await keyInfoLately(openRouterFor(config, origin), key);
    if (lookup.ok || !lookup.rejected) {
      account = loggedInBox(lookup.ok ? lookup.info : undefined, await keyPages(key));
      playground = PLAYGROUND;
    } else {
      headers.append("Set-Cookie", forget);
      account = loggedOutBox(
        "<p><strong>OpenRouter no longer accepts the key from your last login</strong> (deleted, or out of credit limit). Log in again.</p>",
      );
    }
  }
  const mcpUrl = `${origin}/mcp`;
  const body = `<h1>OpenRouter MCP</h1>
<p>An MCP server for every model on <a href="https://openrouter.ai/models">OpenRouter</a>, with three tools:
<code>chat_completion</code> sends a prompt or a conversation and streams the answer as progress,
<code>list_models</code> finds a model by name, price or context length, and <code>get_completion</code>
waits for an answer started in the background. Long answers run durably (MCP Tasks, or <code>background: true</code>),
so they outlive a client that gave up. The default model is <code>${escapeHtml(config.defaultModel)}</code>.
Calls are paid with your own OpenRouter credits.</p>
${standInNote(config)}${account}${playground}
<h2>Connect</h2>
<p>MCP endpoint (Streamable HTTP): <code>${escapeHtml(mcpUrl)}</code></p>
<p>Give your MCP client this URL: it signs you in with OpenRouter, where you set the credit limit of the key it receives.</p>
${clientSnippets(mcpUrl)
  .map(
    (c) =>
      `<h3>${escapeHtml(c.client)}</h3>\n<p>${escapeHtml(c.where)}</p>${c.code === undefined ? "" : `\n<pre>${escapeHtml(c.code)}</pre>`}`,
  )
  .join("\n")}`;
  const page = htmlPage("OpenRouter MCP", body, { headers, script: SCRIPT_PATH });
  return request.method === "HEAD" ? new Response(null, { status: page.status, headers: page.headers }) : page;
}

/**
 * On a Worker whose OpenRouter is on this machine (`npm run demo`'s stand-in, never openrouter.ai):
 * what a newcomer trying the demo needs to know, so that nobody looks for an account or a key.
 */
function standInNote(config: Config): string {
  const upstream = new URL(config.openRouterBaseUrl);
  if (!isLoopbackHostname(upstream.hostname)) return "";
  return `<div class="box warn" id="stand-in-note">
<p><strong>Offline demo:</strong> OpenRouter here is a stand-in on this machine (<code>${escapeHtml(upstream.origin)}</code>),
not openrouter.ai. Logging in needs no account, and no call costs anything.</p>
<p>Any key that starts with <code>sk-or-v1-</code> works, such as <code>${DEMO_KEY}</code>: for curl below,
<code>export OPENROUTER_API_KEY=${DEMO_KEY}</code>.</p>
</div>
`;
}

/** Where the page's script puts the playground (its form is the script's: nothing to do without it). */
const PLAYGROUND = `\n<section id="playground"></section>`;

function loggedOutBox(note: string): string {
  return `<div class="box" id="account">
${note}<p>Log in with OpenRouter to try it here: OpenRouter creates a key with the credit limit you choose,
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
<form method="post" action="/logout"><button type="submit">Log out</button> forgets the key here only: it stays at OpenRouter until deleted.</form>
</div>`;
}
