// DNS rebinding under wrangler dev: "served on loopback" is decided from what a web page cannot
// set. A rebinding page can send any CF-Connecting-IP, but not the Host its browser sends: the
// attacker's name and wrangler dev's port, which Cloudflare's edge never serves on.
import { describe, expect, it } from "vitest";
import { rawGet, rawPost, rpc } from "../support/http.js";
import { UNREACHABLE_OPENROUTER, useWorker } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";

const worker = useWorker(UNREACHABLE_OPENROUTER);
const ping = JSON.stringify(rpc(1, "ping"));
const json = {
  "Content-Type": "application/json",
  Accept: "application/json, text/event-stream",
  Authorization: `Bearer ${VALID_KEY}`,
};

describe("a foreign Host with a made-up CF-Connecting-IP", () => {
  it.each(["203.0.113.9", "8.8.8.8", "2001:db8::1"])(
    "is still refused on wrangler dev's port (CF-Connecting-IP %s)",
    async (ip) => {
      const port = new URL(worker.origin).port;
      const host = `evil.example:${port}`;
      const res = await rawPost(worker.mcpUrl, ping, {
        ...json,
        Host: host,
        Origin: `http://${host}`,
        "CF-Connecting-IP": ip,
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatch(/DNS rebinding/);
      const noOrigin = await rawPost(worker.mcpUrl, ping, { ...json, Host: host, "CF-Connecting-IP": ip });
      expect(noOrigin.status).toBe(403);
    },
  );

  it("gets loopback cookies (not Secure), as everything else on wrangler dev's port", async () => {
    const port = new URL(worker.origin).port;
    const res = await rawGet(`${worker.origin}/login`, {
      Host: `evil.example:${port}`,
      "CF-Connecting-IP": "203.0.113.9",
    });
    expect([res.headers["set-cookie"] ?? []].flat()[0]).toMatch(/^mcp_login=/);
  });
});

describe("as the edge delivers a request", () => {
  it("is served: a client address that is not loopback, on the default port", async () => {
    const res = await rawPost(worker.mcpUrl, ping, {
      ...json,
      Host: "mcp.example.com",
      Origin: "https://mcp.example.com",
      "CF-Connecting-IP": "203.0.113.9",
    });
    // The Origin names another scheme than the test's http URL, so it is not same-origin: 403 says
    // the origin check ran, not the loopback Host check.
    expect(res.body).not.toMatch(/DNS rebinding/);
    const sameOrigin = await rawPost(worker.mcpUrl, ping, {
      ...json,
      Host: "mcp.example.com",
      Origin: "http://mcp.example.com",
      "CF-Connecting-IP": "203.0.113.9",
    });
    expect(sameOrigin.status).toBe(200);
  });
});
