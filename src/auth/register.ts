// POST /register: Dynamic Client Registration (RFC 7591), stateless. The client_id returned
// carries the checked redirect URIs and name (see clients.ts for why that is safe unsigned).
import * as z from "zod/mini";
import type { Config, WorkerContext } from "../config.js";
import { decodeJson } from "../decode.js";
import { mediaType, methodNotAllowed, readTextWithin } from "../http.js";
import { clientNameSchema, encodeRegisteredClientId, redirectUrisSchema } from "./clients.js";
import { grantTypes } from "./metadata.js";
import { OPEN_CORS, oauthError, oauthJson, openPreflight } from "./responses.js";

const MAX_BODY_BYTES = 16 * 1024;

/** A list the client may send; it must name the one value this server supports. */
function listIncluding(field: string, required: string) {
  return z.optional(
    z
      .array(z.string(), `${field} must be an array of strings.`)
      .check(
        z.refine(
          (list) => list.includes(required),
          `${field} must include "${required}": it is the only one this server supports.`,
        ),
      ),
  );
}

/** The client metadata we read (RFC 7591 §2); other fields are ignored. */
const registrationSchema = z.object(
  {
    redirect_uris: redirectUrisSchema,
    client_name: clientNameSchema,
    grant_types: listIncluding("grant_types", "authorization_code"),
    response_types: listIncluding("response_types", "code"),
  },
  "it is not a JSON object",
);

export async function handleRegister(
  request: Request,
  config: Config,
  { clock }: Pick<WorkerContext, "clock">,
): Promise<Response> {
  if (request.method === "OPTIONS") return openPreflight("POST, OPTIONS");
  if (request.method !== "POST") return methodNotAllowed("POST", OPEN_CORS);
  if (mediaType(request.headers.get("Content-Type")) !== "application/json") {
    return oauthError(
      400,
      "invalid_client_metadata",
      "Send the client metadata as JSON (Content-Type: application/json).",
    );
  }
  const text = await readTextWithin(request, MAX_BODY_BYTES);
  if (text === undefined)
    return oauthError(413, "invalid_client_metadata", `The client metadata must be at most ${MAX_BODY_BYTES} bytes.`);
  const decoded = decodeJson(text, registrationSchema);
  if (!decoded.ok) {
    if (decoded.field === "redirect_uris") return oauthError(400, "invalid_redirect_uri", decoded.problem);
    return oauthError(
      400,
      "invalid_client_metadata",
      decoded.field === undefined ? `The body is not acceptable: ${decoded.problem}.` : decoded.problem,
    );
  }
  const { redirect_uris: redirectUris, client_name: name } = decoded.value;

  // What we support replaces what was asked (RFC 7591 §3.2.1 lets the server do so): no
  // secrets (public clients, PKCE), and refresh tokens only with TOKEN_SECRET.
  return oauthJson(201, {
    client_id: encodeRegisteredClientId(redirectUris, name),
    client_id_issued_at: Math.floor(clock.now() / 1000),
    ...(name === undefined ? {} : { client_name: name }),
    redirect_uris: redirectUris,
    grant_types: grantTypes(config),
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
}
