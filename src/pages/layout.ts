// The frame every HTML page shares: its stylesheet, and headers that forbid framing, inline and
// foreign scripts and styles, and referrers (a page may carry a code in its URL; no other site
// should ever see it).

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Every page's styles: public/style.css, a static asset (wrangler.toml [assets]). */
const STYLESHEET = "/style.css";
/** Every page's icon: public/favicon.svg, a static asset; /favicon.ico redirects to it (public/_redirects). */
const FAVICON = "/favicon.svg";

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
  /**
   * A script of our own origin for this page (its path), which may call back only to our origin
   * and frame our own pages (the playground's view, sandboxed).
   */
  script?: string;
}

export function htmlPage(title: string, body: string, options: PageOptions = {}): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${FAVICON}" type="image/svg+xml">
<link rel="stylesheet" href="${STYLESHEET}">
</head>
<body>
${body}
${options.script === undefined ? "" : `<script src="${escapeHtml(options.script)}" defer></script>\n`}</body>
</html>
`;
  const formAction = ["'self'", ...(options.formAction ?? [])].join(" ");
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'self'; img-src 'self'${options.script === undefined ? "" : " data:; script-src 'self'; connect-src 'self'; frame-src 'self'"}; frame-ancestors 'none'; base-uri 'none'; form-action ${formAction}`,
  );
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", options.referrerPolicy ?? "no-referrer");
  headers.set("X-Content-Type-Options", "nosniff");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(html, { status: options.status ?? 200, headers });
}

/** The home page for links from our own pages: with a query, it does not start a login by itself. */
export const ABOUT_PATH = "/?about";
/** Where logging out lands: the home page, saying so, and not starting a new login. */
export const LOGGED_OUT_PATH = "/?logged_out";

/** A way on from a problem page: a plain link, or a button (the primary one stands out). */
export interface PageLink {
  href: string;
  label: string;
  style?: "button" | "primary";
}

const ABOUT_LINK: PageLink = { href: ABOUT_PATH, label: "About this server" };

/** The one HTML error page: why something cannot go on, and where to go from here; never a redirect. */
export function problemPage(
  status: number,
  title: string,
  message: string,
  headers?: HeadersInit,
  links: readonly PageLink[] = [ABOUT_LINK],
): Response {
  const ways = links
    .map(
      ({ href, label, style }) =>
        `<a${style === undefined ? "" : ` class="button${style === "primary" ? " primary" : ""}"`} href="${escapeHtml(href)}">${escapeHtml(label)}</a>`,
    )
    .join(" ");
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n<p>${ways}</p>`, {
    status,
    ...(headers === undefined ? {} : { headers }),
  });
}
