// A minimal browser for driving OAuth redirects from tests: one cookie jar (cookies ignore
// ports, as real browsers do, so everything on 127.0.0.1 shares it), redirects followed by
// hand so each hop can be checked, and helpers to read and submit HTML forms.

export interface Hop {
  url: string;
  status: number;
  location: string | undefined;
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header seen, for checking attributes. */
  readonly setCookieHeaders: string[] = [];

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  /** GETs url and follows redirects while `keepGoing(next)` says so; returns the last answer and every hop. */
  async navigate(
    url: string,
    keepGoing: (next: string) => boolean = (next) => next.startsWith("http://127.0.0.1"),
    init: RequestInit = {},
  ): Promise<{ response: Response; hops: Hop[]; stoppedAt: string | undefined }> {
    const hops: Hop[] = [];
    let response = await this.request(url, init);
    let current = url;
    for (let i = 0; i < 20; i++) {
      const location = response.headers.get("Location") ?? undefined;
      hops.push({ url: current, status: response.status, location });
      if (response.status < 300 || response.status >= 400 || location === undefined)
        return { response, hops, stoppedAt: undefined };
      const next = new URL(location, current).href;
      if (!keepGoing(next)) return { response, hops, stoppedAt: next };
      await response.body?.cancel();
      current = next;
      response = await this.request(next);
    }
    throw new Error("too many redirects");
  }

  /** Submits the first form on `pageUrl`'s HTML (already fetched as `html`) with extra fields. */
  async submitForm(
    pageUrl: string,
    html: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const form = parseForm(html);
    const target = new URL(form.action, pageUrl).href;
    const body = new URLSearchParams({ ...form.fields, ...fields });
    return this.request(target, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(pageUrl).origin, ...headers },
      body,
    });
  }

  private store(line: string): void {
    this.setCookieHeaders.push(line);
    const [pair = "", ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const maxAge = attributes.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith("max-age="));
    if (maxAge === "max-age=0" || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

function parseForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(match[1]!)] = unescapeHtml(match[2]!);
  }
  return { action: unescapeHtml(action), fields };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** Logs a scripted browser in through `origin`'s /login and the stand-in's consent page, approved. */
export async function logInBrowser(browser: TestBrowser, origin: string, limit = "2"): Promise<void> {
  const start = await browser.request(`${origin}/login`);
  const consent = start.headers.get("Location")!;
  const page = await browser.request(consent);
  const approved = await browser.submitForm(consent, await page.text(), { action: "approve", limit });
  await browser.request(approved.headers.get("Location")!);
}

/** A PKCE verifier and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const { createHash, randomBytes } = await import("node:crypto");
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}
