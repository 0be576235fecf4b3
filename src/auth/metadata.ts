// Discovery documents: Protected Resource Metadata (RFC 9728) for /mcp, and Authorization
// Server Metadata (RFC 8414, also served at the OpenID discovery path clients try second).
import type { Config } from "../config.js";
import { methodNotAllowed, originOf } from "../http.js";
import { OPEN_CORS, oauthError, openPreflight, resourceUrl } from "./responses.js";

function discoveryAnswer(request: Request, body: () => unknown): Response {
  if (request.method === "OPTIONS") return openPreflight("GET, HEAD, OPTIONS");
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, HEAD, OPTIONS", OPEN_CORS);
  return new Response(request.method === "HEAD" ? null : JSON.stringify(body(), null, 2), {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300", ...OPEN_CORS },
  });
}

export function protectedResourceMetadata(request: Request, config: Config): Response {
  const origin = originOf(request);
  return discoveryAnswer(request, () => ({
    resource: resourceUrl(origin),
    authorization_servers: [config.auth.outsideIssuer ?? origin],
    bearer_methods_supported: ["header"],
    resource_name: "OpenRouter MCP",
    resource_documentation: `${origin}/`,
  }));
}

export function authorizationServerMetadata(request: Request, config: Config): Response {
  if (config.auth.outsideIssuer !== undefined) return providerElsewhere(request, config.auth.outsideIssuer);
  const origin = originOf(request);
  return discoveryAnswer(request, () => ({
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: grantTypes(config),
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${origin}/`,
  }));
}

/** Our authorization-server endpoints when OAUTH_PROVIDER_HOST names another provider: 404. */
export function providerElsewhere(request: Request, issuer: string): Response {
  if (request.method === "OPTIONS") return openPreflight("GET, POST, OPTIONS");
  return oauthError(
    404,
    "not_found",
    `Not found: this server's authorization server is ${issuer}. See /.well-known/oauth-protected-resource.`,
  );
}

/** Refresh tokens exist only with TOKEN_SECRET: a bare OpenRouter key does not expire. */
export function grantTypes(config: Config): string[] {
  return config.auth.sealedTokens === undefined ? ["authorization_code"] : ["authorization_code", "refresh_token"];
}
