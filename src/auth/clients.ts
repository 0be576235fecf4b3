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
import { base64urlFromText, textFromBase64url } from "./encoding.js";
import { fetchClientMetadataDocument, looksLikeMetadataUrl } from "./client-metadata.js";
import { redirectUriProblem } from "./redirect-uri.js";

export const REGISTERED_PREFIX = "mcp1.";
const MAX_REDIRECT_URIS = 10;
const MAX_NAME_LENGTH = 100;

export interface OAuthClient {
  clientId: string;
  /** What the client calls itself; undefined when it gave no name. */
  name: string | undefined;
  redirectUris: string[];
  kind: "registered" | "metadata-document";
}

export type ClientLookup = { ok: true; client: OAuthClient } | { ok: false; description: string };

interface RegisteredPayload {
  r: string[];
  n?: string;
}

/** Builds the self-describing client_id of a registration whose fields were already checked. */
export function encodeRegisteredClientId(redirectUris: string[], name: string | undefined): string {
  const payload: RegisteredPayload = name === undefined ? { r: redirectUris } : { r: redirectUris, n: name };
  return REGISTERED_PREFIX + base64urlFromText(JSON.stringify(payload));
}

/** Finds the client a client_id names; every field is checked again, since anyone can forge one. */
export async function resolveClient(clientId: string): Promise<ClientLookup> {
  if (clientId.startsWith(REGISTERED_PREFIX)) return decodeRegisteredClientId(clientId);
  if (looksLikeMetadataUrl(clientId)) {
    const fetched = await fetchClientMetadataDocument(clientId);
    if (!fetched.ok) return fetched;
    return checkClientFields(clientId, fetched.document.redirect_uris, fetched.document.client_name, "metadata-document");
  }
  return { ok: false, description: "Unknown client_id: register at /register, or use an https URL of a Client ID Metadata Document." };
}

/** Whether a client_id is at least shaped like one of ours, without fetching anything. */
export function clientIdWellFormed(clientId: string): boolean {
  if (clientId.startsWith(REGISTERED_PREFIX)) return decodeRegisteredClientId(clientId).ok;
  return looksLikeMetadataUrl(clientId);
}

function decodeRegisteredClientId(clientId: string): ClientLookup {
  const text = textFromBase64url(clientId.slice(REGISTERED_PREFIX.length));
  let payload: unknown;
  try {
    payload = text === undefined ? undefined : JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (typeof payload !== "object" || payload === null) {
    return { ok: false, description: "This client_id is damaged: register the client again at /register." };
  }
  const { r, n } = payload as Record<string, unknown>;
  return checkClientFields(clientId, r, n, "registered");
}

function checkClientFields(clientId: string, redirectUris: unknown, name: unknown, kind: OAuthClient["kind"]): ClientLookup {
  const problem = redirectUrisProblem(redirectUris);
  if (problem) return { ok: false, description: `The client's redirect_uris are not acceptable: ${problem}` };
  const cleanName = clientNameFrom(name);
  if (cleanName === null) return { ok: false, description: "The client's client_name is not a string." };
  return { ok: true, client: { clientId, name: cleanName, redirectUris: redirectUris as string[], kind } };
}

/** Why a redirect_uris value is not acceptable, or undefined. */
export function redirectUrisProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return "redirect_uris must be a non-empty array of URIs";
  if (value.length > MAX_REDIRECT_URIS) return `at most ${MAX_REDIRECT_URIS} redirect_uris are accepted`;
  for (const uri of value) {
    if (typeof uri !== "string") return "every redirect URI must be a string";
    const problem = redirectUriProblem(uri);
    if (problem) return `${JSON.stringify(uri.slice(0, 200))} ${problem}`;
  }
  return undefined;
}

/** A client name fit to show (control characters removed, length capped); null when not a string. */
export function clientNameFrom(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return null;
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  if (clean === "") return undefined;
  return clean.length > MAX_NAME_LENGTH ? `${clean.slice(0, MAX_NAME_LENGTH)}…` : clean;
}
