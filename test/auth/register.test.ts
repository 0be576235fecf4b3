// Dynamic Client Registration (RFC 7591), stateless: which redirect URIs are accepted.
import { describe, expect, it } from "vitest";
import { authorizeUrl, registerClient, standardParams } from "../support/oauth.js";
import { useWorker } from "../support/fixture.js";
import { NOT_AN_APP, REAL_HOSTS_REDIRECT_URIS } from "../support/redirect-uris.js";

const worker = useWorker();

describe("POST /register", () => {
  it("answers 201 with a client_id that carries the redirect URIs, and no secret", async () => {
    const redirectUris = ["https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1:6274/oauth/callback"];
    const res = await registerClient(worker.origin, {
      redirect_uris: redirectUris,
      client_name: "MCP Inspector",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
      scope: "anything",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      client_name: "MCP Inspector",
      redirect_uris: redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    });
    expect(body.client_secret).toBeUndefined();
    expect(typeof body.client_id_issued_at).toBe("number");
    const clientId = body.client_id as string;
    expect(clientId).toMatch(/^mcp1\.[\w-]+$/);
    expect(JSON.parse(Buffer.from(clientId.slice(5), "base64url").toString())).toEqual({
      r: redirectUris,
      n: "MCP Inspector",
    });
  });

  it.each([
    "https://app.example.com/callback",
    "https://app.example.com:8443/cb?x=1",
    "http://localhost:3000/callback",
    "http://127.0.0.1:51423/callback",
    "http://[::1]:8080/cb",
    "cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback",
    "com.example.app:/oauth2redirect",
  ])("accepts %s", async (uri) => {
    const res = await registerClient(worker.origin, { redirect_uris: [uri] });
    expect(res.status).toBe(201);
  });

  it.each([
    ["http://app.example.com/callback", "not loopback"],
    ["http://192.168.1.10/callback", "not loopback"],
    ["javascript:alert(1)", "javascript"],
    ["data:text/html,hi", "data"],
    ["file:///etc/passwd", "file"],
    ["touch-https://evil.example/cb", "touch-https"],
    ["https://app.example.com/cb#frag", "fragment"],
    ["https://user:pass@app.example.com/cb", "credentials"],
    ["/relative/callback", "absolute"],
    ["https://app.example.com/ cb", "whitespace"],
  ])("refuses %s with invalid_redirect_uri", async (uri, reason) => {
    const res = await registerClient(worker.origin, { redirect_uris: ["https://fine.example/cb", uri] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_redirect_uri");
    expect(body.error_description).toContain(reason);
  });

  it.each(REAL_HOSTS_REDIRECT_URIS)("registers %s, as a real MCP host does", async (uri) => {
    const res = await registerClient(worker.origin, { redirect_uris: [uri] });
    expect(res.status).toBe(201);
  });

  it.each(NOT_AN_APP)("refuses %s, which is no app known to be one, saying how to register instead", async (uri) => {
    const res = await registerClient(worker.origin, { redirect_uris: [uri] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_redirect_uri");
    expect(body.error_description).toMatch(
      /register an https URL, a loopback URL such as http:\/\/127\.0\.0\.1:PORT\/callback, or an app's own scheme/,
    );
  });

  it.each([
    ["https://good.example\\@evil.example/cb", "https://good.example/@evil.example/cb"],
    ["https:evil.example/cb", "https://evil.example/cb"],
    ["https://good.example", "https://good.example/"],
  ])("refuses %s, which is not in canonical form, naming the form to register", async (uri, canonical) => {
    const res = await registerClient(worker.origin, { redirect_uris: [uri] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toContain(
      `register it exactly as ${JSON.stringify(canonical)}`,
    );
  });

  it.each([
    "cursor://anysphere.cursor-mcp/oauth/callback?next=https://evil.example/cb",
    "vscode://publisher.extension/https://evil.example/cb",
    "com.example.app:/cb?u=https%3A%2F%2Fevil.example",
  ])("refuses %s: an app's scheme carrying a web address", async (uri) => {
    const res = await registerClient(worker.origin, { redirect_uris: [uri] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/carries a web address/);
  });

  it.each([
    ["https://app.example.com/cb", "the web site", "app.example.com"],
    [
      "cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback",
      "an app on this device: the one that answers to",
      "cursor:",
    ],
    [
      "vscode://vscode.github-authentication/did-authenticate",
      "an app on this device: the one that answers to",
      "vscode:",
    ],
    ["com.example.app:/oauth2redirect", "an app on this device: the one that answers to", "com.example.app:"],
    ["http://127.0.0.1:33418/callback", "a program on this computer, listening at", "127.0.0.1:33418"],
  ])("registers %s, and the consent page says plainly where the code goes", async (uri, kind, where) => {
    const res = await registerClient(worker.origin, { redirect_uris: [uri], client_name: "Some App" });
    expect(res.status).toBe(201);
    const { client_id: clientId } = (await res.json()) as { client_id: string };
    const consent = await fetch(
      authorizeUrl(worker.origin, standardParams(clientId, uri, "a".repeat(43), worker.origin)),
    );
    expect(consent.status).toBe(200);
    const html = await consent.text();
    expect(html).toContain(`<dt>The key goes to</dt><dd>${kind} <strong>${where}</strong>`);
    expect(html.includes('class="box warn"')).toBe(kind !== "the web site");
    // Each thing is said once.
    const sentences = html
      .slice(html.indexOf("<body>"))
      .replace(/<[^<>]*>/g, " ")
      .replace(/\s+/g, " ")
      .split(/(?<=[.?!]) /)
      .filter((s) => s.length > 20);
    expect(sentences.filter((s, i) => sentences.indexOf(s) !== i)).toEqual([]);
  });

  it("refuses missing or empty redirect_uris", async () => {
    for (const body of [
      {},
      { redirect_uris: [] },
      { redirect_uris: "https://a.example/cb" },
      { redirect_uris: [42] },
    ]) {
      const res = await registerClient(worker.origin, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_redirect_uri" });
    }
  });

  it("refuses metadata it cannot honour with invalid_client_metadata", async () => {
    for (const extra of [{ grant_types: ["client_credentials"] }, { response_types: ["token"] }, { client_name: 42 }]) {
      const res = await registerClient(worker.origin, { redirect_uris: ["https://a.example/cb"], ...extra });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_client_metadata" });
    }
  });

  it("refuses what is not JSON, too large, or not a POST", async () => {
    const notJson = await fetch(`${worker.origin}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    const form = await fetch(`${worker.origin}/register`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(form.status).toBe(400);
    const huge = await registerClient(worker.origin, {
      redirect_uris: ["https://a.example/cb"],
      padding: "x".repeat(20_000),
    });
    expect(huge.status).toBe(413);
    const get = await fetch(`${worker.origin}/register`);
    expect(get.status).toBe(405);
  });

  it("a client registered without a name still gets a consent page, named after its redirect host", async () => {
    const res = await registerClient(worker.origin, { redirect_uris: ["https://nameless.example/cb"] });
    const { client_id: clientId } = (await res.json()) as { client_id: string };
    const url = authorizeUrl(
      worker.origin,
      standardParams(clientId, "https://nameless.example/cb", "a".repeat(43), worker.origin),
    );
    const consent = await fetch(url, { redirect: "manual" });
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain("Give nameless.example an OpenRouter key?");
  });

  it("strips control characters from the name and caps its length", async () => {
    const res = await registerClient(worker.origin, {
      redirect_uris: ["https://a.example/cb"],
      client_name: `Evil\u202eppa\u0007${"x".repeat(300)}`,
    });
    const body = (await res.json()) as { client_name: string };
    expect(body.client_name.startsWith("Evilppa")).toBe(true);
    expect(body.client_name.length).toBeLessThanOrEqual(101);
  });
});
