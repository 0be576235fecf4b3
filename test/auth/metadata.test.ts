// Discovery: the 401 challenge, Protected Resource Metadata (RFC 9728), Authorization Server
// Metadata (RFC 8414 and the OpenID path), CORS, logging in when connecting, OPEN_DISCOVERY,
// and OAUTH_PROVIDER_HOST.
import { describe, expect, it } from "vitest";
import { post, rpc } from "../support/http.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { REVOKED_KEY, VALID_KEY } from "../../stand-in/openrouter.js";

const standIn = useStandIn();
const worker = useWorker();
const provided = useWorker({ OAUTH_PROVIDER_HOST: "openrouter.simplerauth.com" });
const withStandIn = useWorker({}, { standIn });
const open = useWorker({ OPEN_DISCOVERY: "true" }, { standIn });

const initialize = rpc(1, "initialize", {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "t", version: "1" },
});
const discover = rpc(1, "server/discover", {
  _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} },
});
const modernHeaders = { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "server/discover" };
const challengeOf = (origin: string) => `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`;

describe("the 401 challenge", () => {
  it("points at the protected resource metadata of /mcp", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toBe(challengeOf(worker.origin));
  });

  it("keeps pointing there when OpenRouter rejects the key, with invalid_token", async () => {
    const res = await post(
      withStandIn.mcpUrl,
      rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }),
      {
        key: REVOKED_KEY,
      },
    );
    expect(res.status).toBe(401);
    const challenge = res.headers.get("WWW-Authenticate")!;
    expect(challenge).toMatch(
      new RegExp(`^Bearer resource_metadata="${withStandIn.origin}/.well-known/oauth-protected-resource/mcp"`),
    );
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).not.toContain(REVOKED_KEY);
  });

  it("is readable by browser clients", async () => {
    const res = await post(
      worker.mcpUrl,
      rpc(2, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }),
      {
        headers: { Origin: worker.origin },
      },
    );
    expect(res.headers.get("Access-Control-Expose-Headers")).toMatch(/WWW-Authenticate/);
  });
});

/** What a client sends before any tool call, in both eras: each name, body and extra headers. */
const CONNECTING_REQUESTS = [
  ["initialize", initialize, {}],
  ["ping", rpc(2, "ping"), {}],
  ["tools/list", rpc(3, "tools/list"), {}],
  ["server/discover", discover, modernHeaders],
] as const;

describe("logging in when connecting (the default)", () => {
  it("challenges every request without a key, connecting included, in both eras", async () => {
    for (const [name, body, headers] of CONNECTING_REQUESTS) {
      const res = await post(withStandIn.mcpUrl, body, { accept: "application/json", headers });
      expect(res.status, name).toBe(401);
      expect(res.headers.get("WWW-Authenticate"), name).toBe(challengeOf(withStandIn.origin));
    }
  });

  it("checks the key when connecting: OpenRouter's refusal is invalid_token, so the client logs in again", async () => {
    for (const [name, body, headers] of [
      ["initialize", initialize, {}],
      ["server/discover", discover, modernHeaders],
    ] as const) {
      const refused = await post(withStandIn.mcpUrl, body, { accept: "application/json", key: REVOKED_KEY, headers });
      expect(refused.status, name).toBe(401);
      expect(refused.headers.get("WWW-Authenticate"), name).toContain('error="invalid_token"');
    }
    const accepted = await post(withStandIn.mcpUrl, initialize, { accept: "application/json", key: VALID_KEY });
    expect(accepted.status).toBe(200);
    expect((await accepted.json()).result.protocolVersion).toBe("2025-11-25");
  });

  it("asks OpenRouter at most once a minute about a key, accepted or rejected", async () => {
    const keyChecks = () => standIn.requests.filter((r) => r.path === "/api/v1/key").length;
    const fresh = `sk-or-v1-connect-check-${Date.now()}`;
    const before = keyChecks();
    for (let i = 0; i < 3; i++) {
      const res = await post(withStandIn.mcpUrl, initialize, { accept: "application/json", key: fresh });
      expect(res.status).toBe(200);
    }
    const modern = await post(withStandIn.mcpUrl, discover, {
      accept: "application/json",
      key: fresh,
      headers: modernHeaders,
    });
    expect(modern.status).toBe(200);
    expect(keyChecks() - before).toBe(1);

    const rejected = keyChecks();
    for (let i = 0; i < 2; i++)
      expect(
        (await post(withStandIn.mcpUrl, initialize, { accept: "application/json", key: REVOKED_KEY })).status,
      ).toBe(401);
    expect(keyChecks() - rejected).toBeLessThanOrEqual(1);
  });

  it("checks the key of requests that are not connecting too, and lets notifications through without one", async () => {
    const list = await post(withStandIn.mcpUrl, rpc(3, "tools/list"), { accept: "application/json", key: REVOKED_KEY });
    expect(list.status).toBe(401);
    expect(list.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    const notification = await post(withStandIn.mcpUrl, { jsonrpc: "2.0", method: "notifications/initialized" });
    expect(notification.status).toBe(202);
  });
});

describe("OPEN_DISCOVERY", () => {
  it("answers initialize, ping, tools/list and server/discover without a key; tool calls still ask for one", async () => {
    for (const [name, body, headers] of CONNECTING_REQUESTS) {
      const res = await post(open.mcpUrl, body, { accept: "application/json", headers });
      expect(res.status, name).toBe(200);
    }
    const call = await post(open.mcpUrl, rpc(4, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }));
    expect(call.status).toBe(401);
    expect(call.headers.get("WWW-Authenticate")).toBe(challengeOf(open.origin));
  });
});

describe("protected resource metadata", () => {
  for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
    it(`is served at ${path}`, async () => {
      const res = await fetch(`${worker.origin}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await res.json()).toEqual({
        resource: `${worker.origin}/mcp`,
        authorization_servers: [worker.origin],
        bearer_methods_supported: ["header"],
        resource_name: "OpenRouter MCP",
        resource_documentation: `${worker.origin}/`,
      });
    });
  }
});

describe("authorization server metadata", () => {
  for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
    it(`is served at ${path}`, async () => {
      const res = await fetch(`${worker.origin}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      const o = worker.origin;
      expect(await res.json()).toMatchObject({
        issuer: o,
        authorization_endpoint: `${o}/authorize`,
        token_endpoint: `${o}/token`,
        registration_endpoint: `${o}/register`,
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["none"],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
    });
  }

  it("refuses other methods", async () => {
    const res = await fetch(`${worker.origin}/.well-known/oauth-authorization-server`, { method: "POST" });
    expect(res.status).toBe(405);
  });
});

describe("CORS for browser-based clients", () => {
  for (const [path, method] of [
    ["/.well-known/oauth-protected-resource/mcp", "GET"],
    ["/.well-known/oauth-authorization-server", "GET"],
    ["/register", "POST"],
    ["/token", "POST"],
  ] as const) {
    it(`answers the preflight of ${path}`, async () => {
      const res = await fetch(`${worker.origin}${path}`, {
        method: "OPTIONS",
        headers: {
          Origin: "https://inspector.example",
          "Access-Control-Request-Method": method,
          "Access-Control-Request-Headers": "content-type, mcp-protocol-version",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(res.headers.get("Access-Control-Allow-Methods")).toContain(method);
      expect(res.headers.get("Access-Control-Allow-Headers")).toMatch(/Content-Type/i);
      expect(res.headers.get("Access-Control-Allow-Headers")).toMatch(/MCP-Protocol-Version/i);
    });
  }

  it("on /token and /register answers too", async () => {
    const token = await fetch(`${worker.origin}/token`, {
      method: "POST",
      headers: { Origin: "https://inspector.example" },
    });
    expect(token.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const register = await fetch(`${worker.origin}/register`, {
      method: "POST",
      headers: { Origin: "https://inspector.example" },
    });
    expect(register.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});

describe("OAUTH_PROVIDER_HOST", () => {
  it("names that host as the authorization server", async () => {
    const res = await fetch(`${provided.origin}/.well-known/oauth-protected-resource/mcp`);
    expect(await res.json()).toMatchObject({
      resource: `${provided.origin}/mcp`,
      authorization_servers: ["https://openrouter.simplerauth.com"],
    });
    const challenge = await post(
      provided.mcpUrl,
      rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }),
    );
    expect(challenge.headers.get("WWW-Authenticate")).toContain(
      `${provided.origin}/.well-known/oauth-protected-resource/mcp`,
    );
  });

  it("and our own authorization server steps aside", async () => {
    for (const path of [
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
      "/register",
      "/authorize",
      "/token",
      "/callback/x",
    ]) {
      const res = await fetch(`${provided.origin}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("openrouter.simplerauth.com");
    }
  });
});
