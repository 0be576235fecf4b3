// Who may call /mcp (src/transport/bearer.ts and src/openrouter/key-verdicts.ts): every request needs a key
// OpenRouter accepts, checked the way connecting checks it and remembered for a minute per key
// hash (issue 16 §2), and every 401 answers with the request's own id (issue 16 §5).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nowSeconds, seal } from "../../src/auth/sealed.js";
import { REVOKED_KEY, VALID_KEY } from "../../stand-in/openrouter.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { post, rpc } from "../support/http.js";
import { noteSecret } from "../support/secret-ledger.js";

const SECRET = randomBytes(32).toString("base64url");
noteSecret("token-secret", SECRET);

const standIn = useStandIn();
const worker = useWorker({}, { standIn });
const sealing = useWorker({ TOKEN_SECRET: SECRET }, { standIn });
const open = useWorker({ OPEN_DISCOVERY: "true" }, { standIn });

const keyChecks = () => standIn.requests.filter((r) => r.path === "/api/v1/key").length;
/** A key the stand-in has never seen: it accepts any sk-or-v1-… key but REVOKED_KEY. */
const freshKey = (label: string) => `sk-or-v1-${label}-${randomBytes(6).toString("hex")}`;
const listModels = (id: number) => rpc(id, "tools/call", { name: "list_models", arguments: { limit: 1 } });

async function sealedToken(contents: { k?: string; e?: number } = {}): Promise<string> {
  const token = await seal(SECRET, "access", {
    k: VALID_KEY,
    a: sealing.mcpUrl,
    c: "client",
    e: nowSeconds() + 600,
    ...contents,
  });
  noteSecret("token", token);
  return token;
}

describe("every request needs a key OpenRouter accepts", () => {
  it.each([
    ["ping", rpc(1, "ping")],
    ["tools/list", rpc(2, "tools/list")],
    ["list_models", listModels(3)],
  ])("%s with Bearer anything is 401 invalid_token", async (_, body) => {
    const res = await post(worker.mcpUrl, body, { key: "anything", accept: "application/json" });
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    expect(await res.text()).not.toContain('anything"');
  });

  it("serves the same requests with a key OpenRouter accepts", async () => {
    for (const body of [rpc(1, "ping"), rpc(2, "tools/list"), listModels(3)]) {
      expect((await post(worker.mcpUrl, body, { key: VALID_KEY, accept: "application/json" })).status).toBe(200);
    }
  });

  it("asks OpenRouter at most once a minute about a key, accepted or rejected, whatever the requests", async () => {
    const key = freshKey("remembered");
    const before = keyChecks();
    for (const body of [
      rpc(1, "initialize", {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      }),
      rpc(2, "tools/list"),
      rpc(3, "ping"),
    ]) {
      expect((await post(worker.mcpUrl, body, { key, accept: "application/json" })).status).toBe(200);
    }
    expect(keyChecks() - before).toBe(1);

    const rejected = keyChecks();
    for (let i = 0; i < 3; i++)
      expect(
        (await post(worker.mcpUrl, rpc(i, "tools/list"), { key: REVOKED_KEY, accept: "application/json" })).status,
      ).toBe(401);
    expect(keyChecks() - rejected).toBeLessThanOrEqual(1);
  });

  it("asks once for many requests that arrive together with a new key", async () => {
    const key = freshKey("burst");
    const before = keyChecks();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(worker.mcpUrl, rpc(i, "ping"), { key, accept: "application/json" })),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(20).fill(200));
    expect(keyChecks() - before).toBe(1);
  });

  it("takes a sealed token by opening it, and asks OpenRouter about the key inside only when connecting", async () => {
    const token = await sealedToken({ k: freshKey("sealed") });
    const before = keyChecks();
    expect((await post(sealing.mcpUrl, rpc(1, "tools/list"), { key: token, accept: "application/json" })).status).toBe(
      200,
    );
    expect(keyChecks()).toBe(before);
    const init = rpc(2, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    });
    expect((await post(sealing.mcpUrl, init, { key: token, accept: "application/json" })).status).toBe(200);
    expect(keyChecks()).toBe(before + 1);
  });

  it("with OPEN_DISCOVERY, answers what needs no key whatever key-shaped key is sent, asking nothing", async () => {
    const before = keyChecks();
    for (const body of [rpc(1, "ping"), rpc(2, "tools/list"), listModels(3)]) {
      expect(
        (await post(open.mcpUrl, body, { key: freshKey("open-made-up"), accept: "application/json" })).status,
      ).toBe(200);
    }
    expect(keyChecks()).toBe(before);
  });
});

describe("requests about durable calls, in every mode", () => {
  // Each reaches a Durable Object: with a made-up key under OPEN_DISCOVERY, tasks/list once
  // answered 200 with [], and a new made-up key per request escaped the per-key limit.
  const TASK_ID = "a".repeat(32);
  const aboutDurableCalls: [string, object][] = [
    ["tasks/list", rpc(1, "tasks/list")],
    ["tasks/get", rpc(2, "tasks/get", { taskId: TASK_ID })],
    ["tasks/result", rpc(3, "tasks/result", { taskId: TASK_ID })],
    ["tasks/cancel", rpc(4, "tasks/cancel", { taskId: TASK_ID })],
    ["get_completion", rpc(5, "tools/call", { name: "get_completion", arguments: { id: TASK_ID, wait: 0 } })],
  ];
  const send = (target: typeof worker, body: object, key?: string) =>
    post(target.mcpUrl, body, { key, accept: "application/json", protocolVersion: "2025-11-25" });

  it.each(aboutDurableCalls)(
    "%s needs a key OpenRouter accepts, with OPEN_DISCOVERY too: none or a made-up one is 401, an unanswered lookup 503",
    async (_, body) => {
      for (const target of [open, worker]) {
        expect((await send(target, body)).status).toBe(401);
        // Shaped like a key, and rejected (the stand-in takes only sk-or-v1-… keys).
        const before = keyChecks();
        const madeUp = await send(target, body, `sk-or-v0-made-up-${randomBytes(6).toString("hex")}`);
        expect(madeUp.status).toBe(401);
        expect(madeUp.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
        expect(keyChecks()).toBe(before + 1);
        const unanswered = await send(target, body, `sk-or-v1-lookup-503-${randomBytes(6).toString("hex")}`);
        expect(unanswered.status).toBe(503);
        expect(unanswered.headers.get("Retry-After")).toBe("10");
        expect((await send(target, body, VALID_KEY)).status).toBe(200);
      }
    },
  );

  it("with OPEN_DISCOVERY, a chat without a key is 401 before its arguments are read", async () => {
    const hostile = { prompt: "x", images: [`https://${"a".repeat(1024 * 1024)} `] };
    const res = await send(open, rpc(6, "tools/call", { name: "chat_completion", arguments: hostile }));
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("images");
  });
});

describe("a bearer token that is neither shaped like a key nor sealed", () => {
  // Each once remembered as accepted when its lookup failed (OpenRouter answers a 20 KB header 431).
  it.each([
    ["a word", "anything"],
    ["20 KB of x", "x".repeat(20_000)],
    // Control characters never reach a Worker (HTTP refuses them in a header); bytes past ASCII do.
    ["a key with bytes past ASCII", "sk-or-v1-\u00ff\u0080\u00e9"],
    ["a key of another service", "sk-proj-abc123"],
    ["a key too long to be one", `sk-or-v1-${"a".repeat(300)}`],
  ])("is 401 in every mode before any lookup: %s", async (_, token) => {
    const before = keyChecks();
    for (const target of [worker, open, sealing]) {
      for (const body of [rpc(1, "ping"), rpc(2, "tools/list"), listModels(3)]) {
        const res = await post(target.mcpUrl, body, { key: token, accept: "application/json" });
        expect(res.status).toBe(401);
        expect(res.headers.get("WWW-Authenticate")).toContain(
          "neither an OpenRouter key nor a token this server issued",
        );
        expect(await res.text()).not.toContain(token.slice(0, 30));
      }
    }
    expect(keyChecks()).toBe(before);
  });
});

describe("a 401 answers with the request's own id", () => {
  const bodyOf = async (res: Response) => {
    expect(res.status).toBe(401);
    return (await res.json()) as { jsonrpc: string; id: unknown; error: { code: number } };
  };

  it.each([
    ["no key", () => worker, async () => undefined],
    ["a key OpenRouter rejects", () => worker, async () => REVOKED_KEY],
    ["a sealed token not made for this server", () => sealing, async () => `${(await sealedToken()).slice(0, -4)}AAAA`],
    ["an expired sealed token", () => sealing, async () => sealedToken({ e: nowSeconds() - 10 })],
  ])("%s: the id of a lone request, string or number, and null for a batch", async (_, target, key) => {
    const on = target();
    const token = await key();
    for (const id of ["call-7", 7]) {
      const body = await bodyOf(
        await post(on.mcpUrl, rpc(id, "tools/list"), { key: token, accept: "application/json" }),
      );
      expect(body).toMatchObject({ jsonrpc: "2.0", id, error: { code: -32001 } });
    }
    const batch = await bodyOf(
      await post(on.mcpUrl, [rpc(1, "ping"), rpc(2, "tools/list")], {
        key: token,
        protocolVersion: "2025-03-26",
        accept: "application/json",
      }),
    );
    expect(batch).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32001 } });
  });

  it("and so does the 401 of a tool call OpenRouter refuses", async () => {
    const body = await bodyOf(
      await post(open.mcpUrl, rpc("chat-1", "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }), {
        key: REVOKED_KEY,
        accept: "application/json",
      }),
    );
    expect(body.id).toBe("chat-1");
  });
});

describe("the 401 of a tool call", () => {
  const chat = rpc(1, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } });

  it("asks for a key with WWW-Authenticate: Bearer", async () => {
    const res = await post(worker.mcpUrl, chat);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
  });

  it("answers a key OpenRouter rejects with invalid_token, never echoing it", async () => {
    const res = await post(worker.mcpUrl, chat, { key: REVOKED_KEY });
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/error="invalid_token"/);
    expect(await res.text()).not.toContain(REVOKED_KEY);
  });
});
