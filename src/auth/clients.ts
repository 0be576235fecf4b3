// OAuth clients without a client store. Two kinds of client_id:
//
// 1. Dynamic registration (RFC 7591): POST /register answers a client_id that *is* the
//    registration: "mcp1." + base64url(JSON of the redirect URIs and the client's name).
//    Nothing is stored and nothing is signed (the Worker has no secret to sign with).
//
//    What does forging one gain? Anyone can already register any acceptable redirect URI
//    and name with an anonymous POST /register, so a forged client_id can only describe a
//    client that open registration would have handed out anyway: one whose codes go to the
//    forger's own redirect URI. It cannot make us send a code anywhere its own decoded
//    content does not name, because every use re-validates that content from scratch
//    (redirectUriProblem on each URI, exact matching at /authorize and again at /callback).
//    It cannot skip the person's consent either: our consent page shows the name and the
//    redirect host the client_id carries, and the person decides. And a code is useless
//    without the PKCE verifier of whoever started the flow.
//
// 2. Client ID Metadata Documents: a client_id that is an https URL is fetched (see
//    client-metadata.ts) and its redirect_uris are used the same way.
import * as z from "zod/mini";
import { decode } from "../decode.js";
import { fetchClientMetadataDocument, looksLikeMetadataUrl, unusableClient } from "./client-metadata.js";
import { base64urlFromText, decodeBase64urlJson } from "../encoding.js";
import { redirectUriProblem } from "./redirect-uri.js";

const REGISTERED_PREFIX = "mcp1.";
const MAX_REDIRECT_URIS = 10;
const MAX_NAME_LENGTH = 100;

export interface OAuthClient {
  clientId: string;
  /** What the client calls itself; undefined when it gave no name. */
  name: string | undefined;
  redirectUris: string[];
  kind: "registered" | "metadata-document";
}

type ClientLookup = { ok: true; client: OAuthClient } | { ok: false; description: string };

const redirectUriSchema = z.string("every redirect URI must be a string").check(
  z.refine((uri) => redirectUriProblem(uri) === undefined, {
    error: ({ input }) => `${JSON.stringify(String(input).slice(0, 200))} ${redirectUriProblem(String(input))}`,
  }),
);

/** Every redirect URI acceptable (see redirect-uri.ts), at least one, at most ten. */
export const redirectUrisSchema = z.array(redirectUriSchema, "redirect_uris must be a non-empty array of URIs").check(
  z.minLength(1, "redirect_uris must be a non-empty array of URIs"),
  z.refine((uris) => uris.length <= MAX_REDIRECT_URIS, `at most ${MAX_REDIRECT_URIS} redirect_uris are accepted`),
);

/** A client name fit to show (control characters removed, length capped), or undefined when it gave none. */
export const clientNameSchema = z.pipe(
  z.optional(z.nullable(z.string("client_name must be a string."))),
  z.transform((value) => {
    const clean = (value ?? "")
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "")
      .trim();
    if (clean === "") return undefined;
    return clean.length > MAX_NAME_LENGTH ? `${clean.slice(0, MAX_NAME_LENGTH)}…` : clean;
  }),
);

/** What a client is made of, wherever it was described: registration, client_id or metadata document. */
const clientFieldsSchema = z.object({ redirect_uris: redirectUrisSchema, client_name: clientNameSchema });

/** What a registered client_id carries after its prefix, as base64url(JSON). */
const registeredPayloadSchema = z.object({ r: z.optional(z.unknown()), n: z.optional(z.unknown()) });

/** Builds the self-describing client_id of a registration whose fields were already checked. */
export function encodeRegisteredClientId(redirectUris: string[], name: string | undefined): string {
  const payload = name === undefined ? { r: redirectUris } : { r: redirectUris, n: name };
  return REGISTERED_PREFIX + base64urlFromText(JSON.stringify(payload));
}

/** Finds the client a client_id names; every field is checked again, since anyone can forge one. */
export async function resolveClient(clientId: string): Promise<ClientLookup> {
  if (clientId.startsWith(REGISTERED_PREFIX)) return decodeRegisteredClientId(clientId);
  // An https client_id is meant as a metadata document: say which URL rule it breaks, if one.
  if (clientId.startsWith("https://")) {
    const fetched = await fetchClientMetadataDocument(clientId);
    if (!fetched.ok) return fetched;
    return checkClientFields(clientId, fetched.document, "metadata-document");
  }
  return {
    ok: false,
    description: "Unknown client_id: register at /register, or use an https URL of a Client ID Metadata Document.",
  };
}

/** Whether a client_id is at least shaped like one of ours, without fetching anything. */
export function clientIdWellFormed(clientId: string): boolean {
  if (clientId.startsWith(REGISTERED_PREFIX)) return decodeRegisteredClientId(clientId).ok;
  return looksLikeMetadataUrl(clientId);
}

function decodeRegisteredClientId(clientId: string): ClientLookup {
  const payload = decodeBase64urlJson(clientId.slice(REGISTERED_PREFIX.length), registeredPayloadSchema);
  if (payload === undefined)
    return { ok: false, description: "This client_id is damaged: register the client again at /register." };
  return checkClientFields(clientId, { redirect_uris: payload.r, client_name: payload.n }, "registered");
}

function checkClientFields(clientId: string, fields: unknown, kind: OAuthClient["kind"]): ClientLookup {
  const decoded = decode(fields, clientFieldsSchema);
  if (!decoded.ok) {
    const problem =
      decoded.field === "redirect_uris"
        ? `The client's redirect_uris are not acceptable: ${decoded.problem}`
        : `The client's ${decoded.problem}`;
    // A fetched document tells nothing about itself on the page (see client-metadata.ts).
    return kind === "metadata-document" ? unusableClient(clientId, problem) : { ok: false, description: problem };
  }
  return {
    ok: true,
    client: { clientId, name: decoded.value.client_name, redirectUris: decoded.value.redirect_uris, kind },
  };
}
