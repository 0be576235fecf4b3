// The stand-in's OpenRouter login (OAuth PKCE, S256): the consent page at /auth, which redirects
// to the app's callback with a code (or access_denied), and the code-for-key exchange at
// /api/v1/auth/keys. A code is single use and lives ten minutes; the key it buys knows the label
// and credit limit its login was given (keys.ts answers them).
import { createHash, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { IssuedKeys } from "./keys.js";
import { sendError, sendHtml, sendJson } from "./http.js";
import { noteSecret } from "./secret-notes.js";

const CODE_LIFETIME_MS = 10 * 60_000;

interface IssuedCode {
  challenge: string;
  limit: number | null;
  label: string | undefined;
  createdAt: number;
  used: boolean;
}

interface OAuthPages {
  consentPage(url: URL, res: ServerResponse): void;
  consentAnswer(form: URLSearchParams, res: ServerResponse): void;
  exchangeCode(body: unknown, res: ServerResponse): void;
}

/** One server's login: the codes it issued, and the keys they bought (into `issuedKeys`). */
export function oauthPages(issuedKeys: IssuedKeys): OAuthPages {
  const codes = new Map<string, IssuedCode>();

  function consentPage(url: URL, res: ServerResponse): void {
    const callback = url.searchParams.get("callback_url");
    if (!callback) return sendHtml(res, 400, "<p>Missing callback_url</p>");
    const challenge = url.searchParams.get("code_challenge") ?? "";
    const label = url.searchParams.get("key_label") ?? "";
    if (url.searchParams.get("auto") === "approve") return redirectWithCode(callback, challenge, null, label, res);
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escape(value)}">`;
    // An empty icon, so the browser asks for no /favicon.ico (a 404 in its console); long URLs wrap at a phone's width.
    sendHtml(
      res,
      200,
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize · stand-in OpenRouter</title><link rel="icon" href="data:,">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}h1,code{overflow-wrap:anywhere}
.note{background:#fff4d6;padding:.5rem .75rem;border-radius:6px}button{font:inherit;padding:.4rem 1rem;margin-right:.5rem}</style>
<p class="note">Stand-in OpenRouter for offline trials: no account needed, and its keys work only with the stand-in.</p>
<h1>Authorize ${escape(hostOf(callback))}</h1>
<p>An app asks for an OpenRouter key${label ? ` named <strong>${escape(label)}</strong>` : ""}; it will be sent to <code>${escape(callback)}</code>.</p>
<form method="post" action="/auth">
${hidden("callback_url", callback)}${hidden("code_challenge", challenge)}${hidden("code_challenge_method", url.searchParams.get("code_challenge_method") ?? "")}${hidden("key_label", label)}
<p><label>Credit limit in dollars (empty: none) <input name="limit" type="number" min="0" step="any" value=""></label></p>
<button name="action" value="approve">Authorize</button>
<button name="action" value="deny">Cancel</button>
</form>`,
    );
  }

  function consentAnswer(form: URLSearchParams, res: ServerResponse): void {
    const callback = form.get("callback_url");
    if (!callback) return sendHtml(res, 400, "<p>Missing callback_url</p>");
    if (form.get("action") !== "approve") {
      res.writeHead(302, { Location: appendQuery(callback, "error", "access_denied") }).end();
      return;
    }
    const limit = form.get("limit");
    redirectWithCode(
      callback,
      form.get("code_challenge") ?? "",
      limit ? Number(limit) : null,
      form.get("key_label") ?? "",
      res,
    );
  }

  function redirectWithCode(
    callback: string,
    challenge: string,
    limit: number | null,
    label: string,
    res: ServerResponse,
  ): void {
    const code = randomBytes(16).toString("hex");
    noteSecret("code", code);
    codes.set(code, { challenge, limit, label: label || undefined, createdAt: Date.now(), used: false });
    res.writeHead(302, { Location: appendQuery(callback, "code", code) }).end();
  }

  // Every invalid exchange answers 400: the real service's exact statuses for these are not documented.
  function exchangeCode(body: unknown, res: ServerResponse): void {
    const { code, code_verifier: verifier } = (body ?? {}) as { code?: string; code_verifier?: string };
    noteSecret("code", code);
    noteSecret("verifier", verifier);
    const issued = code ? codes.get(code) : undefined;
    const fresh = issued && !issued.used && Date.now() - issued.createdAt < CODE_LIFETIME_MS;
    const matches =
      issued &&
      typeof verifier === "string" &&
      createHash("sha256").update(verifier).digest("base64url") === issued.challenge;
    if (!issued || !fresh || !matches) {
      if (issued && fresh) issued.used = true; // a wrong verifier burns the code, as single use demands
      return sendError(res, 400, "Invalid code or code_verifier");
    }
    issued.used = true;
    const key = `sk-or-v1-${randomBytes(24).toString("hex")}`;
    noteSecret("key", key);
    issuedKeys.set(key, { limit: issued.limit, label: issued.label });
    sendJson(res, 200, { key, user_id: "user_standin" });
  }

  return { consentPage, consentAnswer, exchangeCode };
}

/** The host a callback URL names, for a heading that fits a phone's width (the whole URL is shown below it). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function appendQuery(url: string, name: string, value: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
