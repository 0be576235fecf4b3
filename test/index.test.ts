// The Worker's own answers outside its endpoints (src/index.ts): an unknown path, and a
// configuration it cannot run with. Both are JSON errors in the one shape every JSON error
// outside /mcp has ({error, error_description}: src/http.ts jsonErrorResponse).
import { describe, expect, it } from "vitest";
import { UNREACHABLE_OPENROUTER, useWorker } from "./support/fixture.js";
import { post, rpc } from "./support/http.js";
import { startWorker } from "./support/worker.js";

const worker = useWorker(UNREACHABLE_OPENROUTER);

describe("an unknown path", () => {
  it("is 404 naming the MCP endpoint", async () => {
    const res = await fetch(`${worker.origin}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual({
      error: "not_found",
      error_description: "Not found: /nope. The MCP endpoint is /mcp.",
    });
  });
});

describe("configuration errors name the variable", () => {
  it.each([
    ["DEFAULT_MODEL", { DEFAULT_MODEL: "not a model" }],
    ["OPENROUTER_BASE_URL", { OPENROUTER_BASE_URL: "ftp://x" }],
    ["PROGRESS_INTERVAL_MS", { PROGRESS_INTERVAL_MS: "soon" }],
    ["ALLOWED_ORIGINS", { ALLOWED_ORIGINS: "https://a.example/path" }],
    ["OAUTH_PROVIDER_HOST", { OAUTH_PROVIDER_HOST: "http://insecure.example" }],
    ["OPEN_DISCOVERY", { OPEN_DISCOVERY: "yes please" }],
    ["ACCESS_TOKEN_TTL_SECONDS", { ACCESS_TOKEN_TTL_SECONDS: "600" }],
    [
      "ACCEPT_OPENROUTER_KEYS",
      {
        OAUTH_PROVIDER_HOST: "openrouter.simplerauth.com",
        TOKEN_SECRET: "q8Vx2mR7tLp4Zk9Wc3Hn6Jb1Ys5Fd0Ga-_uE",
        ACCEPT_OPENROUTER_KEYS: "false",
      },
    ],
  ])("%s", async (name, vars) => {
    const bad = await startWorker(vars);
    try {
      const res = await post(bad.mcpUrl, rpc(1, "ping"));
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(body.error).toBe("server_error");
      expect(body.error_description).toContain(name);
    } finally {
      await bad.dispose();
    }
  });
});
