// Our own consent page. OpenRouter's page will name this Worker (it sees our callback), not
// the app that ends up holding the key, so the person learns here who that app is.
import type { OAuthClient } from "../auth/clients.js";
import { isLoopbackHostname } from "../http.js";
import { escapeHtml, htmlPage } from "./layout.js";

interface ConsentView {
  client: OAuthClient;
  redirectUri: string;
  /** Hidden fields that repeat the authorization request, checked again on POST. */
  fields: Record<string, string>;
  csrfToken: string;
  /** Where approving or denying may redirect the browser (CSP form-action). */
  formAction: string[];
  setCookie: string;
}

export function consentPage(view: ConsentView): Response {
  const { client, redirectUri } = view;
  const target = describeRedirect(redirectUri);
  const name = client.name ?? target.host;
  const source =
    client.kind === "metadata-document"
      ? `It is described by <code>${escapeHtml(client.clientId)}</code>.`
      : "It registered itself with this server; the name is the one it chose, so judge it by where the key goes.";
  const hidden = Object.entries({ ...view.fields, csrf_token: view.csrfToken })
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n");
  const warning = target.local
    ? `<div class="box warn"><strong>The key goes to a program on this computer</strong> (${escapeHtml(target.host)}).
Any program on your computer can claim a name. Continue only if you have just started signing in from an app here.</div>`
    : "";
  const body = `<h1>Give ${escapeHtml(name)} an OpenRouter key?</h1>
<div class="box">
<p><strong>${escapeHtml(name)}</strong> wants to use OpenRouter through this MCP server, paid from your OpenRouter account.</p>
<dl>
<dt>The key goes to</dt><dd><strong>${escapeHtml(target.host)}</strong><br><code>${escapeHtml(redirectUri)}</code></dd>
<dt>App</dt><dd>${escapeHtml(name)}. ${source}</dd>
</dl>
<p>If you continue, OpenRouter asks you to log in and to set a <strong>credit limit</strong> for a new API key.
That key goes to ${escapeHtml(name)}, which can spend up to that limit. You can delete the key at any time on
<a href="https://openrouter.ai/settings/keys">openrouter.ai/settings/keys</a>.</p>
</div>
${warning}
<form method="post" action="/authorize">
${hidden}
<button class="primary" type="submit" name="action" value="approve">Continue to OpenRouter</button>
<button type="submit" name="action" value="deny">Deny</button>
</form>`;
  return htmlPage(`Authorize ${name}`, body, {
    formAction: view.formAction,
    headers: { "Set-Cookie": view.setCookie },
    referrerPolicy: "same-origin",
  });
}

/** What to show as the redirect's destination, and whether it stays on this device. */
function describeRedirect(uri: string): { host: string; local: boolean } {
  const url = new URL(uri);
  if (url.protocol === "https:") return { host: url.host, local: false };
  if (url.protocol === "http:") return { host: url.host, local: isLoopbackHostname(url.hostname) };
  return { host: `an app on this device (${url.protocol}${url.host ? `//${url.host}` : ""})`, local: true };
}
