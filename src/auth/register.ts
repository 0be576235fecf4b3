// POST /register: Dynamic Client Registration (RFC 7591), stateless. The client_id returned
// carries the checked redirect URIs and name (see clients.ts for why that is safe unsigned).
import { clientNameFrom, encodeRegisteredClientId, redirectUrisProblem } from "./clients.js";
import { methodNotAllowed, oauthError, oauthJson, openPreflight, readSmallBody } from "./responses.js";

const MAX_BODY_BYTES = 16 * 1024;

export async function handleRegister(request: Request): Promise<Response> {
  if (request.method === "OPTIONS") return openPreflight("POST, OPTIONS");
  if (request.method !== "POST") return methodNotAllowed("POST");
  const contentType = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/json") {
    return oauthError(400, "invalid_client_metadata", "Send the client metadata as JSON (Content-Type: application/json).");
  }
  const text = await readSmallBody(request, MAX_BODY_BYTES);
  if (text === undefined) return oauthError(413, "invalid_client_metadata", `The client metadata must be at most ${MAX_BODY_BYTES} bytes.`);
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    return oauthError(400, "invalid_client_metadata", "The body is not valid JSON.");
  }
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    return oauthError(400, "invalid_client_metadata", "The client metadata must be a JSON object.");
  }
  const fields = metadata as Record<string, unknown>;

  const uriProblem = redirectUrisProblem(fields.redirect_uris);
  if (uriProblem) return oauthError(400, "invalid_redirect_uri", uriProblem);
  const redirectUris = fields.redirect_uris as string[];

  const name = clientNameFrom(fields.client_name);
  if (name === null) return oauthError(400, "invalid_client_metadata", "client_name must be a string.");
  const grantProblem = listProblem(fields.grant_types, "grant_types", "authorization_code");
  if (grantProblem) return oauthError(400, "invalid_client_metadata", grantProblem);
  const responseProblem = listProblem(fields.response_types, "response_types", "code");
  if (responseProblem) return oauthError(400, "invalid_client_metadata", responseProblem);

  // What we support replaces what was asked (RFC 7591 §3.2.1 lets the server do so): no
  // secrets (public clients, PKCE), no refresh tokens (an OpenRouter key does not expire).
  return oauthJson(201, {
    client_id: encodeRegisteredClientId(redirectUris, name),
    client_id_issued_at: Math.floor(Date.now() / 1000),
    ...(name === undefined ? {} : { client_name: name }),
    redirect_uris: redirectUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
}

function listProblem(value: unknown, field: string, required: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return `${field} must be an array of strings.`;
  return value.includes(required) ? undefined : `${field} must include "${required}": it is the only one this server supports.`;
}
