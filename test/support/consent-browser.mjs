#!/usr/bin/env node
// A headless "browser" for OAuth logins, to point a client's BROWSER variable at: opened with a
// URL, it follows redirects and approves every consent page on the way (this server's, then the
// stand-in OpenRouter's), keeping cookies, until it reaches the client's own redirect URI.
// Plain JavaScript on purpose: clients start it as a program, with no build step.
//
//   BROWSER=test/support/consent-browser.mjs npx mcp-remote http://127.0.0.1:8808/mcp
//
// Each page it visits is appended to $CONSENT_BROWSER_LOG, when set, as "STATUS URL" lines.
import { appendFileSync } from "node:fs";

const start = process.argv[2];
if (!start) {
  process.stderr.write("usage: consent-browser.mjs <url>\n");
  process.exit(2);
}

const cookies = new Map();
const note = (status, url) => {
  if (process.env.CONSENT_BROWSER_LOG) appendFileSync(process.env.CONSENT_BROWSER_LOG, `${status} ${url}\n`);
};

async function visit(url, init = {}) {
  const headers = new Headers(init.headers);
  if (cookies.size > 0) headers.set("Cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
  const response = await fetchPatiently(url, { ...init, headers, redirect: "manual" });
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === "" || /max-age=0/i.test(line)) cookies.delete(name);
    else cookies.set(name, value);
  }
  note(response.status, url);
  return response;
}

/**
 * A client may open the browser before its own callback server listens (mcp-remote 0.15 does when
 * a system opener is present): a refused connection is tried again for a while, as a person
 * would reload the page.
 */
async function fetchPatiently(url, init) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const unescape = (text) =>
  text
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The first form of a page, with its hidden fields and the approving button pressed. */
function approvingForm(html, pageUrl) {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields.set(unescape(input[1]), unescape(input[2]));
  fields.set("action", "approve");
  return { action: new URL(unescape(form[1]), pageUrl).href, fields };
}

let url = start;
let response = await visit(url);
for (let step = 0; step < 20; step++) {
  const location = response.headers.get("Location");
  if (response.status >= 300 && response.status < 400 && location) {
    url = new URL(location, url).href;
    response = await visit(url);
    continue;
  }
  const html = (response.headers.get("Content-Type") ?? "").includes("text/html") ? await response.text() : "";
  const form = response.status === 200 ? approvingForm(html, url) : undefined;
  if (!form) break; // the client's redirect URI answered: the login is done (or failed there)
  response = await visit(form.action, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(url).origin },
    body: form.fields,
  });
}
process.exit(response.status < 400 ? 0 : 1);
