// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client_id
// that is an https URL names a JSON document, hosted by the client, listing its redirect URIs.
//
// Fetching a URL an unknown party chose is a server-side request forgery risk, so the fetch is
// bounded: the URL shape the draft requires (https, a path, no query, fragment, credentials or
// dot segments), the default port only, a DNS name checked after normalising it (lower case,
// IDNA, no trailing dot; no IP literal, no name of the local machine or a private network), no redirects
// followed, 5 s for the whole answer, 5 KiB. On Cloudflare's network a Worker cannot reach
// private addresses behind a public name either; under `wrangler dev` a public name that
// resolves to a private address is the one case these checks cannot see.
//
// What came back is never told: not the status, not whether it was JSON or a redirect. The page
// says only that the URL could not be used as a client (else the fetch is a probe that reports
// on any URL); the reason goes to the Worker's log for the deployer.
//
// A good document is kept in the data center's cache for as long as its own Cache-Control
// allows (at most an hour), as the MCP spec asks: one sign-in reads it several times. Cloudflare
// makes the Cache API a no-op on *.workers.dev; there every read fetches.
import * as z from "zod/mini";
import { decodeJson } from "../decode.js";
import { readTextWithin } from "../http.js";
import { trimTrailing } from "../text.js";
import { sharedCacheSeconds } from "./cache-control.js";

const METADATA_TIMEOUT_MS = 5_000;
const METADATA_MAX_BYTES = 5 * 1024;
const METADATA_MAX_CACHE_SECONDS = 3600;

/**
 * Names of the local machine or a private network, each with every name under it:
 * special-use names (RFC 6761 localhost, test, invalid; RFC 6762 local; RFC 8375 home.arpa and
 * the rest of .arpa; RFC 7686 onion; RFC 9476 alt), names networks use without a public TLD
 * (localdomain, internal, intranet, lan, home, corp, private), Kubernetes (svc, and
 * cluster.local) and Consul (consul) service names, and public names whose DNS answers with a
 * loopback or private address, for local development (lvh.me, localtest.me, vcap.me,
 * localho.st, and nip.io, sslip.io, xip.io and traefik.me, which answer with the address in the name).
 */
const PRIVATE_NAMES = [
  "localhost",
  "localdomain",
  "local",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "test",
  "invalid",
  "arpa",
  "onion",
  "alt",
  "svc",
  "consul",
  "lvh.me",
  "localtest.me",
  "vcap.me",
  "localho.st",
  "nip.io",
  "sslip.io",
  "xip.io",
  "traefik.me",
];

interface ClientMetadataDocument {
  client_id: string;
  redirect_uris: unknown;
  client_name?: unknown;
}

type MetadataFetch = { ok: true; document: ClientMetadataDocument } | { ok: false; description: string };

/** An https URL with a path, in canonical form, that may be fetched: see the rules above. */
export function looksLikeMetadataUrl(clientId: string): boolean {
  return metadataUrlProblem(clientId) === undefined;
}

function metadataUrlProblem(clientId: string): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:") return "is not https";
  // Canonical form only: no dot segments, default port spelled out, upper-case host, and so on.
  if (url.href !== clientId) return "is not in canonical form";
  if (url.pathname === "/" || /[?#]/.test(clientId) || url.username !== "" || url.password !== "") {
    return "needs a path, and no query, fragment or credentials";
  }
  if (url.port !== "") return "must use the default https port";
  // The URL parser already lowered the case and applied IDNA; a trailing dot names the same host.
  const host = trimTrailing(url.hostname, ".");
  if (host.startsWith("[") || /^\d+(?:\.\d+){3}$/.test(host)) return "names an IP address instead of a host name";
  if (!host.includes(".") || PRIVATE_NAMES.some((name) => host === name || host.endsWith(`.${name}`))) {
    return "names a local or private host";
  }
  return undefined;
}

export async function fetchClientMetadataDocument(clientId: string): Promise<MetadataFetch> {
  const problem = metadataUrlProblem(clientId);
  if (problem) return { ok: false, description: `The client_id URL ${problem}.` };
  const cached = await cache()
    ?.match(clientId)
    // The cache could not answer: the document is fetched instead.
    .catch(() => undefined);
  if (cached) return readDocument(clientId, await cached.text());
  const fetched = await fetchDocumentText(clientId);
  if (!fetched.ok) return fetched;
  const read = readDocument(clientId, fetched.text);
  const seconds = Math.min(sharedCacheSeconds(fetched.cacheControl), METADATA_MAX_CACHE_SECONDS);
  if (read.ok && seconds > 0) {
    const copy = new Response(fetched.text, {
      headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${seconds}` },
    });
    await cache()
      ?.put(clientId, copy)
      // Not kept: fetched again next time.
      .catch(() => undefined);
  }
  return read;
}

function cache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : caches.default;
}

/** The page's words for any document that cannot be used; the reason goes to the log only. */
export function unusableClient(clientId: string, why: string): { ok: false; description: string } {
  console.warn(`client metadata: ${clientId} ${why}`);
  return {
    ok: false,
    description: `${clientId} could not be used as a client. Start signing in again, or tell the app's developers.`,
  };
}

async function fetchDocumentText(
  clientId: string,
): Promise<{ ok: true; text: string; cacheControl: string | null } | { ok: false; description: string }> {
  const failed = (why: string) => unusableClient(clientId, why);
  // One deadline for headers and body alike: a body dripping a byte at a time is cut too.
  const deadline = AbortSignal.timeout(METADATA_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(clientId, { redirect: "manual", headers: { Accept: "application/json" }, signal: deadline });
  } catch {
    return failed(
      deadline.aborted ? `it did not answer within ${METADATA_TIMEOUT_MS / 1000} s` : "it could not be fetched",
    );
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return failed(
      `it answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : ""}`,
    );
  }
  const text = await readTextWithin(response, METADATA_MAX_BYTES);
  if (text === undefined) {
    return failed(
      deadline.aborted
        ? `its body did not arrive within ${METADATA_TIMEOUT_MS / 1000} s`
        : `it is larger than ${METADATA_MAX_BYTES} bytes`,
    );
  }
  return { ok: true, text, cacheControl: response.headers.get("Cache-Control") };
}

/** The fields we read from a document; what a client is made of is checked in clients.ts. */
const documentSchema = z.object(
  {
    client_id: z.string("it names no client_id"),
    redirect_uris: z.optional(z.unknown()),
    client_name: z.optional(z.unknown()),
    token_endpoint_auth_method: z.optional(
      z.enum(["none"], 'its token_endpoint_auth_method is not supported (public clients only: "none")'),
    ),
  },
  "it is not a JSON object",
);

function readDocument(clientId: string, text: string): MetadataFetch {
  const decoded = decodeJson(text, documentSchema);
  if (!decoded.ok) return unusableClient(clientId, decoded.problem);
  const { client_id: named, redirect_uris, client_name } = decoded.value;
  if (named !== clientId) return unusableClient(clientId, "its client_id is not exactly the URL it was fetched from");
  return { ok: true, document: { client_id: clientId, redirect_uris, client_name } };
}
