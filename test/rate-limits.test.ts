// Rate limits through Cloudflare's Rate Limiting binding, as wrangler.toml declares it (Miniflare
// runs it as wrangler dev does): per client address on logging in, per key on tool calls; past a
// limit, 429 with Retry-After, never a 5xx. Requests from loopback are never counted, so these
// tests say where they come from as the edge does, with CF-Connecting-IP. New keys per address and
// the address counted are in rate-limits.addresses.test.ts.
import { describe, expect, it } from "vitest";
import { BINDING_LIMIT } from "../src/rate-limits.js";
import { loadRuntimeOptions } from "../scripts/wrangler-config.js";
import { BUILD_DIR } from "./support/build-worker.js";
import { useWorkerWithStandIn } from "./support/fixture.js";
import { inOneWindow } from "./support/rate-limit-window.js";
import { post, rpc } from "./support/http.js";

const { standIn, worker } = useWorkerWithStandIn({
  RATE_LIMIT_TOOL_CALLS: "3",
  RATE_LIMIT_LOGIN: "4",
  RATE_LIMIT_TASK_REQUESTS: "5",
});

const from = (address: string) => ({ "CF-Connecting-IP": address });
const toolCall = (id: number, key: string, address: string) =>
  post(worker.mcpUrl, rpc(id, "tools/call", { name: "list_models", arguments: { limit: 1 } }), {
    key,
    headers: from(address),
    accept: "application/json",
  });
/** A request about a durable call (a task of no one's: each is still asked of a Durable Object). */
const TASK_ID = "a".repeat(32);
const durableRequest = (id: number, method: string, key: string, address: string) => {
  const body =
    method === "get_completion"
      ? rpc(id, "tools/call", { name: "get_completion", arguments: { id: TASK_ID, wait: 0 } })
      : rpc(id, method, { taskId: TASK_ID });
  return post(worker.mcpUrl, body, { key, headers: from(address), accept: "application/json" });
};

describe("rate limits", () => {
  it("declares the binding with the limit the settings divide", () => {
    expect(loadRuntimeOptions(BUILD_DIR).ratelimits.RATE_LIMITER?.simple).toEqual({ limit: BINDING_LIMIT, period: 60 });
  });

  it("takes RATE_LIMIT_TOOL_CALLS tool calls a minute per key, then answers 429 with a JSON-RPC error and Retry-After", async () => {
    const { statuses, refused } = await inOneWindow(async (round) => {
      const key = `sk-or-v1-rate-limited-key-${round}`;
      // From two addresses: the limit follows the key, not where it comes from.
      const statuses: number[] = [];
      for (let i = 1; i <= 3; i++)
        statuses.push((await toolCall(i, key, i % 2 ? "203.0.113.1" : "198.51.100.7")).status);
      const refused = await toolCall(9, key, "203.0.113.1");
      return {
        statuses,
        refused: { status: refused.status, retryAfter: refused.headers.get("Retry-After"), body: await refused.json() },
      };
    });
    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe("60");
    const body = refused.body as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe(9);
    expect(body.error.code).toBe(-32005);
    expect(body.error.message).toContain("3 a minute per key");
    // Another key goes on; so does the same key from this machine (loopback is never counted),
    // and what is not a tool call.
    const key = "sk-or-v1-rate-limited-key-0";
    expect((await toolCall(10, "sk-or-v1-another-key", "203.0.113.1")).status).toBe(200);
    expect(
      (
        await post(worker.mcpUrl, rpc(11, "tools/call", { name: "list_models", arguments: {} }), {
          key,
          accept: "application/json",
        })
      ).status,
    ).toBe(200);
    expect((await post(worker.mcpUrl, rpc(12, "tools/list"), { key, headers: from("203.0.113.1") })).status).toBe(200);
  });

  it("counts a batch's tool calls each: a batch is let in whole, and what follows it waits", async () => {
    const [first, next] = await inOneWindow(async (round) => {
      const key = `sk-or-v1-batch-key-${round}`;
      const batch = [1, 2, 3, 4].map((id) => rpc(id, "tools/call", { name: "list_models", arguments: { limit: 1 } }));
      const headers = { ...from("203.0.113.2"), "MCP-Protocol-Version": "2025-03-26" };
      const first = await post(worker.mcpUrl, batch, { key, headers, accept: "application/json" });
      await first.text();
      return [first.status, (await toolCall(5, key, "203.0.113.2")).status];
    });
    expect(first).toBe(200);
    expect(next).toBe(429);
  });

  it("takes RATE_LIMIT_TASK_REQUESTS requests about durable calls a minute per key, apart from the tool calls' budget", async () => {
    const found = await inOneWindow(async (round) => {
      const key = `sk-or-v1-polling-key-${round}`;
      const statuses: number[] = [];
      for (const [i, method] of [
        "tasks/get",
        "tasks/list",
        "tasks/cancel",
        "tasks/result",
        "get_completion",
      ].entries()) {
        const response = await durableRequest(i + 1, method, key, i % 2 ? "203.0.113.3" : "198.51.100.8");
        await response.text();
        statuses.push(response.status);
      }
      const refused = await durableRequest(9, "tasks/get", key, "203.0.113.3");
      const completion = await durableRequest(10, "get_completion", key, "203.0.113.3");
      // Polling spent none of the tool calls' budget.
      const toolCalls: number[] = [];
      for (let i = 11; i <= 13; i++) toolCalls.push((await toolCall(i, key, "203.0.113.3")).status);
      return {
        statuses,
        refused: { status: refused.status, retryAfter: refused.headers.get("Retry-After"), body: await refused.json() },
        completion: completion.status,
        toolCalls,
      };
    });
    expect(found.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(found.refused.status).toBe(429);
    expect(found.refused.retryAfter).toBe("60");
    const body = found.refused.body as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe(9);
    expect(body.error.code).toBe(-32005);
    expect(body.error.message).toContain("5 a minute per key");
    expect(found.completion).toBe(429);
    expect(found.toolCalls).toEqual([200, 200, 200]);
  });

  it("counts get_completion as a request about a durable call, not as a tool call: it starts nothing at OpenRouter", async () => {
    const found = await inOneWindow(async (round) => {
      const key = `sk-or-v1-background-key-${round}`;
      for (let i = 1; i <= 3; i++) await (await toolCall(i, key, "203.0.113.4")).text();
      const completion = await durableRequest(4, "get_completion", key, "203.0.113.4");
      await completion.text();
      return { completion: completion.status, toolCall: (await toolCall(5, key, "203.0.113.4")).status };
    });
    expect(found).toEqual({ completion: 200, toolCall: 429 });
  });

  it("takes RATE_LIMIT_LOGIN requests a minute per address on logging in: JSON for clients, a page for people", async () => {
    const found = await inOneWindow(async (round) => {
      const address = `192.0.2.${40 + round}`;
      const register = () =>
        fetch(`${worker.origin}/register`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...from(address) },
          body: JSON.stringify({ redirect_uris: ["http://127.0.0.1:9999/callback"], client_name: "limit test" }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await register()).status);
      // A CORS preflight is not counted.
      statuses.push((await fetch(`${worker.origin}/token`, { method: "OPTIONS", headers: from(address) })).status);
      statuses.push((await fetch(`${worker.origin}/token`, { method: "POST", headers: from(address) })).status);
      const json = await register();
      const page = await fetch(`${worker.origin}/authorize?client_id=x`, { headers: from(address) });
      // The browser login's callback exchanges a code at OpenRouter as /token does: limited alike.
      const loginCallback = await fetch(`${worker.origin}/login/callback?code=x`, {
        headers: from(address),
        redirect: "manual",
      });
      return {
        statuses,
        json: {
          status: json.status,
          retryAfter: json.headers.get("Retry-After"),
          cors: json.headers.get("Access-Control-Allow-Origin"),
          body: await json.json(),
        },
        page: {
          status: page.status,
          type: page.headers.get("Content-Type"),
          retryAfter: page.headers.get("Retry-After"),
        },
        loginCallback: loginCallback.status,
      };
    });
    expect(found.statuses).toEqual([201, 201, 201, 204, 400]);
    expect(found.json).toMatchObject({
      status: 429,
      retryAfter: "60",
      cors: "*",
      body: { error: "temporarily_unavailable" },
    });
    expect(found.page).toMatchObject({ status: 429, retryAfter: "60" });
    expect(found.page.type).toMatch(/^text\/html/);
    expect(found.loginCallback).toBe(429);
    // Other addresses, and this machine, go on.
    expect((await fetch(`${worker.origin}/authorize?client_id=x`, { headers: from("192.0.2.99") })).status).toBe(400);
    expect((await fetch(`${worker.origin}/authorize?client_id=x`)).status).toBe(400);
  });

  it("counts OpenRouter's answer to a login (/callback/<tx>) as signing in: past RATE_LIMIT_LOGIN, 429 with a page", async () => {
    // Each /callback/ exchanges a code at OpenRouter and may fetch a client's metadata document.
    const found = await inOneWindow(async (round) => {
      const address = `192.0.2.${20 + round}`;
      const callback = (i: number) =>
        fetch(`${worker.origin}/callback/tx-${round}-${i}?code=made-up`, {
          headers: from(address),
          redirect: "manual",
        });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await callback(i)).status);
      const refused = await callback(4);
      return {
        statuses,
        refused: {
          status: refused.status,
          retryAfter: refused.headers.get("Retry-After"),
          type: refused.headers.get("Content-Type"),
        },
        elsewhere: (
          await fetch(`${worker.origin}/callback/tx-${round}-9?code=made-up`, {
            headers: from(`192.0.2.${30 + round}`),
            redirect: "manual",
          })
        ).status,
      };
    });
    expect(found.statuses).not.toContain(429);
    expect(found.refused).toMatchObject({ status: 429, retryAfter: "60" });
    expect(found.refused.type).toMatch(/^text\/html/);
    expect(found.elsewhere).not.toBe(429);
  });

  it("counts / and /login as signing in when the session cookie holds a key, which each asks OpenRouter about", async () => {
    const keyLookups = () => standIn.requests.filter((r) => r.method === "GET" && r.path === "/api/v1/key").length;
    const found = await inOneWindow(async (round) => {
      const address = `192.0.2.${60 + round}`;
      // A new made-up key every time, which no verdict remembered lately can answer for.
      const visit = (path: string, i: number) =>
        fetch(`${worker.origin}${path}`, {
          headers: { ...from(address), Cookie: `mcp_session=sk-or-v0-round-${round}-${i}` },
          redirect: "manual",
        });
      // No cookie, or one that cannot hold a key: nothing to ask OpenRouter, nothing counted.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${worker.origin}/`, { headers: from(address) })).status);
      statuses.push(
        (
          await fetch(`${worker.origin}/login`, {
            headers: { ...from(address), Cookie: "mcp_session=nonsense" },
            redirect: "manual",
          })
        ).status,
      );
      for (let i = 0; i < 4; i++) statuses.push((await visit(i % 2 ? "/login" : "/", i)).status);
      const asked = keyLookups();
      const home = await visit("/", 8);
      const login = await visit("/login", 9);
      return {
        statuses,
        home: {
          status: home.status,
          retryAfter: home.headers.get("Retry-After"),
          type: home.headers.get("Content-Type"),
        },
        login: login.status,
        askedPastLimit: keyLookups() - asked,
      };
    });
    expect(found.statuses).toEqual([200, 200, 200, 302, 200, 302, 200, 302]);
    expect(found.home).toMatchObject({ status: 429, retryAfter: "60" });
    expect(found.home.type).toMatch(/^text\/html/);
    expect(found.login).toBe(429);
    expect(found.askedPastLimit).toBe(0);
    // Without a key to ask about, the page still shows.
    expect((await fetch(`${worker.origin}/`, { headers: from("192.0.2.60") })).status).toBe(200);
  });
});
