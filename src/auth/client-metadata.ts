// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client_id
// that is an https URL names a JSON document, hosted by the client, listing its redirect URIs.
//
// Fetching a URL an unknown party chose is a server-side request forgery risk, so the fetch is
// bounded: https on the default port only, a DNS name (no IP literal, no localhost or
// private-network names), no redirects followed, 5 s, 5 KiB. On Cloudflare's network a Worker
// cannot reach private addresses behind a public name either; under `wrangler dev` a public
// name that resolves to a private address is the one case these checks cannot see.
//
// A good document is kept in the data center's cache for as long as its own Cache-Control
// allows (at most an hour), as the MCP spec asks: one sign-in reads it several times. Cloudflare
// makes the Cache API a no-op on *.workers.dev; there every read fetches.
import * as z from "zod/mini";
import { decodeJson } from "../decode.js";
import { readTextWithin } from "../http.js";
import { sharedCacheSeconds } from "./cache-control.js";

const METADATA_TIMEOUT_MS = 5_000;
const METADATA_MAX_BYTES = 5 * 1024;
const METADATA_MAX_CACHE_SECONDS = 3600;

const PRIVATE_NAME_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".home.arpa", ".corp", ".private"];

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
  if (url.pathname === "/" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return "needs a path and no fragment or credentials";
  }
  if (url.port !== "") return "must use the default https port";
  const host = url.hostname.toLowerCase();
  if (host.startsWith("[") || /^\d+(\.\d+){3}$/.test(host)) return "names an IP address instead of a host name";
  if (!host.includes(".") || host === "localhost" || PRIVATE_NAME_SUFFIXES.some((s) => host.endsWith(s))) {
    return "names a local or private host";
  }
  return undefined;
}

export async function fetchClientMetadataDocument(clientId: string): Promise<MetadataFetch> {
  const problem = metadataUrlProblem(clientId);
  if (problem) return { ok: false, description: `The client_id URL ${problem}.` };
  const cached = await cache()?.match(clientId).catch(() => undefined);
  if (cached) return readDocument(clientId, await cached.text());
  const fetched = await fetchDocumentText(clientId);
  if (!fetched.ok) return fetched;
  const read = readDocument(clientId, fetched.text);
  const seconds = Math.min(sharedCacheSeconds(fetched.cacheControl), METADATA_MAX_CACHE_SECONDS);
  if (read.ok && seconds > 0) {
    const copy = new Response(fetched.text, { headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${seconds}` } });
    await cache()?.put(clientId, copy).catch(() => {});
  }
  return read;
}

function cache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : caches.default;
}

function failure(clientId: string, why: string): { ok: false; description: string } {
  return { ok: false, description: `Could not use the client's metadata document at ${clientId}: ${why}.` };
}

async function fetchDocumentText(clientId: string): Promise<{ ok: true; text: string; cacheControl: string | null } | { ok: false; description: string }> {
  const failed = (why: string) => failure(clientId, why);
  let response: Response;
  try {
    response = await fetch(clientId, {
      redirect: "manual",
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(METADATA_TIMEOUT_MS),
    });
  } catch {
    return failed("it could not be fetched in time");
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return failed(`it answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : ""}`);
  }
  const text = await readTextWithin(response, METADATA_MAX_BYTES);
  if (text === undefined) return failed(`it is larger than ${METADATA_MAX_BYTES} bytes`);
  return { ok: true, text, cacheControl: response.headers.get("Cache-Control") };
}

/** The fields we read from a document; what a client is made of is checked in clients.ts. */
const documentSchema = z.object(
  {
    client_id: z.string("it names no client_id"),
    redirect_uris: z.optional(z.unknown()),
    client_name: z.optional(z.unknown()),
    token_endpoint_auth_method: z.optional(z.literal("none", 'its token_endpoint_auth_method is not supported (public clients only: "none")')),
  },
  "it is not a JSON object",
);

function readDocument(clientId: string, text: string): MetadataFetch {
  const decoded = decodeJson(text, documentSchema);
  if (!decoded.ok) return failure(clientId, decoded.problem);
  const { client_id: named, redirect_uris, client_name } = decoded.value;
  if (named !== clientId) return failure(clientId, "its client_id is not exactly the URL it was fetched from");
  return { ok: true, document: { client_id: clientId, redirect_uris, client_name } };
}
