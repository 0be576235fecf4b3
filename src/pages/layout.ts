// The frame every HTML page shares: styles, and headers that forbid framing, foreign scripts
// and referrers (a page may carry a code in its URL; no other site should ever see it).

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:14px ui-monospace,monospace;background:#f3f3f3;border-radius:4px}
pre{padding:.75rem;overflow-x:auto}code{padding:.1rem .25rem}
.box{border:1px solid #ddd;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.warn{background:#fff7e0;border-color:#e8c66a}
button,.button{font:inherit;padding:.5rem 1.1rem;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer;text-decoration:none;color:#222;display:inline-block}
button.primary,.button.primary{background:#1a56db;border-color:#1a56db;color:#fff}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}`;

interface PageOptions {
  status?: number;
  /** Extra form-action sources: where this page's forms may post and redirect to. */
  formAction?: string[];
  headers?: HeadersInit;
  /**
   * "same-origin" for pages whose forms must carry a real Origin header (with no-referrer,
   * browsers send Origin: null); other sites never get a Referer either way.
   */
  referrerPolicy?: "no-referrer" | "same-origin";
}

export function htmlPage(title: string, body: string, options: PageOptions = {}): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
${body}
</body>
</html>
`;
  const formAction = ["'self'", ...(options.formAction ?? [])].join(" ");
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action ${formAction}`,
  );
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", options.referrerPolicy ?? "no-referrer");
  headers.set("X-Content-Type-Options", "nosniff");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(html, { status: options.status ?? 200, headers });
}

/** The home page for links from our own pages: with a query, it does not start a login by itself. */
export const ABOUT_PATH = "/?about";

/** A way on from a problem page: a plain link, or a button (the primary one stands out). */
export interface PageLink {
  href: string;
  label: string;
  style?: "button" | "primary";
}

const ABOUT_LINK: PageLink = { href: ABOUT_PATH, label: "About this server" };

/** The one HTML error page: why something cannot go on, and where to go from here; never a redirect. */
export function problemPage(status: number, title: string, message: string, headers?: HeadersInit, links: readonly PageLink[] = [ABOUT_LINK]): Response {
  const ways = links
    .map(({ href, label, style }) => `<a${style === undefined ? "" : ` class="button${style === "primary" ? " primary" : ""}"`} href="${escapeHtml(href)}">${escapeHtml(label)}</a>`)
    .join(" ");
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n<p>${ways}</p>`, { status, ...(headers === undefined ? {} : { headers }) });
}
