// Our own consent page. OpenRouter's page will name this Worker (it sees our callback), not
// the app that ends up holding the key, so the person learns here who that app is and where
// the key goes: a web site, an app on this device, or a program on this computer.
import { escapeHtml, htmlPage } from "../pages/layout.js";
import type { OAuthClient } from "./clients.js";
import { redirectKind, type RedirectKind } from "./redirect-uri.js";

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

/** How each kind of receiver is named, and what to know before sending it a key. */
const RECEIVERS: Record<RedirectKind, { before: string; caution: ((where: string) => string) | undefined }> = {
  "web site": { before: "the web site", caution: undefined },
  "app on this device": {
    before: "an app on this device: the one that answers to",
    caution: (where) => `Any app on your device can claim <code>${where}</code>.`,
  },
  "program on this computer": {
    before: "a program on this computer, listening at",
    caution: (where) => `Any program on your computer can listen at <code>${where}</code>.`,
  },
};

export function consentPage(view: ConsentView): Response {
  const { client, redirectUri } = view;
  const kind = redirectKind(redirectUri);
  const url = new URL(redirectUri);
  const where = kind === "app on this device" ? url.protocol : url.host;
  const receiver = RECEIVERS[kind];
  const name = client.name ?? where;
  const source =
    client.kind === "metadata-document"
      ? `It is described by <code>${escapeHtml(client.clientId)}</code>.`
      : "It registered itself with this server; the name is the one it chose, so judge it by where the key goes.";
  const hidden = Object.entries({ ...view.fields, csrf_token: view.csrfToken })
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n");
  // Each thing is said once: who asks (and how it is known), where the key goes, what happens next.
  const warning = receiver.caution
    ? `<div class="box warn"><strong>${receiver.caution(escapeHtml(where))}</strong> Continue only if you have just started signing in from an app here.</div>`
    : "";
  const body = `<h1>Give ${escapeHtml(name)} an OpenRouter key?</h1>
<div class="box">
<p><strong>${escapeHtml(name)}</strong> wants to use OpenRouter through this MCP server, paid from your OpenRouter account. ${source}</p>
<dl>
<dt>The key goes to</dt><dd>${escapeHtml(receiver.before)} <strong>${escapeHtml(where)}</strong><br><code>${escapeHtml(redirectUri)}</code></dd>
</dl>
<p>If you continue, OpenRouter asks you to log in and to set a <strong>credit limit</strong> for a new API key, which
${escapeHtml(name)} can spend up to that limit. You can delete the key at any time on
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
