// HTTP chores every endpoint shares (transport, auth and pages alike), one helper each: media
// types, the loopback decision, bounded body reading, JSON errors, 405 and redirects. At the top of src/
// because no one concern owns them; rules only /mcp follows stay in transport/.

/** The media type of a Content-Type (or one Accept entry), lower case, without parameters. */
export function mediaType(header: string | null | undefined): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type === "" ? undefined : type;
}

const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_HOSTNAMES.has(h) || h.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** The ports Cloudflare's edge serves HTTP and HTTPS on: a Worker there never sees another. */
const EDGE_PORTS = new Set([
  "",
  "80",
  "443",
  "8080",
  "8880",
  "2052",
  "2082",
  "2086",
  "2095",
  "2053",
  "2083",
  "2087",
  "2096",
  "8443",
]);

/**
 * True when the Worker runs on the person's machine (wrangler dev), where DNS rebinding is a
 * threat. Decided from what a web page cannot set: a rebinding page can send any
 * CF-Connecting-IP (wrangler dev keeps a client's own, and sets its loopback address only when
 * none came), but it must use wrangler dev's port, and the edge answers on none but its own.
 * So: local when the client address is loopback, or when the port is not one the edge serves.
 * (Run wrangler dev on a port such as its default 8787, not on 80, 443, 8080 or 8443.)
 */
export function servedOnLoopback(request: Request): boolean {
  const client = request.headers.get("CF-Connecting-IP");
  if (client === null || client === "::1" || /^127\./.test(client) || client === "::ffff:127.0.0.1") return true;
  return !EDGE_PORTS.has(urlOf(request).port);
}

const parsedUrls = new WeakMap<Request, URL>();

/**
 * The request's URL, parsed once however many checks read it (a request's URL never changes).
 * Shared between them: read it, never change it.
 */
export function urlOf(request: Request): URL {
  let url = parsedUrls.get(request);
  if (url === undefined) parsedUrls.set(request, (url = new URL(request.url)));
  return url;
}

/** Where this Worker's own endpoints live: the request's origin. */
export function originOf(request: Request): string {
  return urlOf(request).origin;
}

/** How much of a request body over its limit is read and dropped before giving up on it. */
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;
/** Where a body of unknown length starts: most are small. */
const FIRST_BUFFER_BYTES = 16 * 1024;

/** What reading a body found: its text, or why there is none. */
export type BodyRead =
  | { ok: true; text: string; bytes: number }
  /** Over its limit ("too-large"), broken off ("broken"), or big while another big body is read ("busy"). */
  | { ok: false; why: "too-large" | "broken" | "busy" };

/** Whether a request in this isolate holds its one place for a big body. */
let bigBodyPlaceTaken = false;

/**
 * One request's claim on the isolate's one place for a big body: an isolate has 128 MB, and a
 * 16 MiB body costs several times that by the time it is parsed and sent on, so two at once could
 * evict the isolate with everyone's streams. Taken by readBody when a body passes its `bigFrom`;
 * released by whoever made the claim once it no longer holds the body's copies.
 */
export class BigBodyClaim {
  private held = false;

  /** Takes the place unless another request holds it; true when this claim holds it. */
  take(): boolean {
    if (!this.held && !bigBodyPlaceTaken) bigBodyPlaceTaken = this.held = true;
    return this.held;
  }

  release(): void {
    if (this.held) bigBodyPlaceTaken = this.held = false;
  }
}

/**
 * A request or response body as text, "" when there is none, or undefined when it is over
 * maxBytes or breaks off (readBody's text, for bodies that are never big).
 */
export async function readTextWithin(message: Request | Response, maxBytes: number): Promise<string | undefined> {
  const read = await readBody(message, maxBytes);
  return read.ok ? read.text : undefined;
}

/**
 * A body as text, read into one buffer (of its Content-Length when it declares one) as it comes,
 * each chunk copied in and dropped, and decoded once. Never holds more than maxBytes: a chunked
 * body has no Content-Length to check first. With `big`, a body past `big.from` bytes must take
 * the isolate's one place for a big body (`big.claim`), or is "busy".
 *
 * A request body that is refused is never cancelled: under wrangler dev, cancelling it makes the
 * local proxy answer the *next* request with 503 "Your worker restarted mid-request". One with
 * a Content-Length is left unread (the runtime skips its known length); a chunked one is read to
 * its end and dropped, up to MAX_DISCARDED_BYTES. A response body (an outbound fetch) is cancelled.
 */
export async function readBody(
  message: Request | Response,
  maxBytes: number,
  big?: { from: number; claim: BigBodyClaim },
): Promise<BodyRead> {
  const declared = Number(message.headers.get("Content-Length") ?? NaN);
  if (declared > maxBytes) {
    // Already closed: nothing left to stop.
    if (message instanceof Response) await message.body?.cancel().catch(() => undefined);
    return { ok: false, why: "too-large" };
  }
  if (big && declared > big.from && !big.claim.take()) return { ok: false, why: "busy" };
  // A request that says how long it is, within the limit, is read by the runtime in one piece,
  // far cheaper than a read loop for the small body most requests have (and than looking at
  // `body`, which makes a stream). Not a response: its length is its encoded body's, which text()
  // would decode past the limit.
  if (message instanceof Request && Number.isSafeInteger(declared) && !message.headers.has("Content-Encoding")) {
    try {
      return { ok: true, text: await message.text(), bytes: declared };
    } catch {
      // The client broke off before the end.
      return { ok: false, why: "broken" };
    }
  }
  if (!message.body) return { ok: true, text: "", bytes: 0 };
  const reader = (message.body as ReadableStream<Uint8Array>).getReader();
  let buffer = new Uint8Array(Number.isSafeInteger(declared) ? declared : Math.min(FIRST_BUFFER_BYTES, maxBytes));
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const needed = size + value.byteLength;
      const refusal = needed > maxBytes ? "too-large" : big && needed > big.from && !big.claim.take() ? "busy" : "";
      if (refusal !== "") {
        await dropRest(message, reader, needed);
        return { ok: false, why: refusal };
      }
      if (needed > buffer.byteLength) {
        // Doubling while small; a big body gets its whole room at once (one place per isolate).
        const room = big && needed > big.from ? maxBytes : Math.min(maxBytes, Math.max(needed, 2 * buffer.byteLength));
        const grown = new Uint8Array(room);
        grown.set(buffer.subarray(0, size));
        buffer = grown;
      }
      buffer.set(value, size);
      size = needed;
    }
  } catch {
    // The sender broke off before the end.
    return { ok: false, why: "broken" };
  }
  return { ok: true, text: new TextDecoder().decode(buffer.subarray(0, size)), bytes: size };
}

/** The rest of a refused body: a request's read and dropped (see readBody), a response's cancelled. */
async function dropRest(
  message: Request | Response,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  read: number,
): Promise<void> {
  if (message instanceof Request) {
    for (let dropped = read; dropped <= MAX_DISCARDED_BYTES;) {
      const rest = await reader.read();
      if (rest.done) return;
      dropped += rest.value.byteLength;
    }
  }
  // Already closed: nothing left to stop.
  await reader.cancel().catch(() => undefined);
}

/**
 * The one builder of JSON errors outside /mcp (which answers JSON-RPC): the OAuth endpoints, the
 * routes around them, and the Worker's own 404 and 500, all in RFC 6749 §5.2's shape, never cached.
 */
export function jsonErrorResponse(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

/** The 405 outside /mcp (RFC 9110 §15.5.6): Allow names the methods, and the body says which to use. */
export function methodNotAllowed(allowed: string, headers: Record<string, string> = {}): Response {
  return jsonErrorResponse(405, "method_not_allowed", `Method not allowed: use ${allowed}.`, {
    ...headers,
    Allow: allowed,
  });
}

export interface RedirectOptions {
  cookies?: string[];
  status?: 302 | 303;
  headers?: Record<string, string>;
}

/** A browser redirect, which may carry a code: never cached, never leaks a Referer. */
export function redirectResponse(location: string, options: RedirectOptions = {}): Response {
  const headers = new Headers({
    ...options.headers,
    Location: location,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
  });
  for (const cookie of options.cookies ?? []) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: options.status ?? 302, headers });
}

/** A CORS preflight answer: `cors` names the allowed origin, the rest what the endpoint takes. */
export function preflightResponse(cors: Record<string, string>, methods: string, requestHeaders: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...cors,
      "Access-Control-Allow-Methods": methods,
      "Access-Control-Allow-Headers": requestHeaders,
      "Access-Control-Max-Age": "86400",
    },
  });
}
