// Every outcome of a key's lookup (GET /key) against every kind of /mcp request, through the /mcp
// pipeline in Node (src/transport/streamable-http.ts, bearer.ts, mcp/key-needs.ts) with a fake
// OpenRouter and a fake clock. Only 401 and 403 reject a key, and only a 200 with the key's
// details accepts it; any other outcome is unknown: what leaves nothing behind goes on, what
// would leave state, read a durable call or use the big body's room answers 503 with Retry-After.
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../src/config.js";
import { handleMcpRequest } from "../../src/transport/streamable-http.js";
import { FakeClock } from "../support/fake-clock.js";
import { unitWorker } from "../support/worker-context.js";

const BASE = "http://upstream.test/api/v1";
const LEGACY = "2025-11-25";
const MODERN = "2026-07-28";

afterEach(() => vi.unstubAllGlobals());

type Outcome = (signal: AbortSignal | undefined) => Promise<Response>;

const answered =
  (status: number, body = "{}"): Outcome =>
  async () =>
    new Response(body, { status });

/** What GET /key may answer, or how it may fail. */
const OUTCOMES: Record<string, { lookup: Outcome; verdict: "accepted" | "rejected" | "unknown"; hangs?: true }> = {
  "200 with the key's details": {
    lookup: answered(200, JSON.stringify({ data: { label: "k", limit: null, usage: 0 } })),
    verdict: "accepted",
  },
  "401": { lookup: answered(401), verdict: "rejected" },
  "403": { lookup: answered(403), verdict: "rejected" },
  "429": { lookup: answered(429), verdict: "unknown" },
  "431": { lookup: answered(431, ""), verdict: "unknown" },
  "500": { lookup: answered(500), verdict: "unknown" },
  "502": { lookup: answered(502, "<html>bad gateway</html>"), verdict: "unknown" },
  "503": { lookup: answered(503), verdict: "unknown" },
  "200 that is not the key's details": { lookup: answered(200, "<html>"), verdict: "unknown" },
  "no answer (timeout)": {
    lookup: (signal) =>
      new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new DOMException("", "AbortError")))),
    verdict: "unknown",
    hangs: true,
  },
  "a network error": {
    lookup: async () => {
      throw new TypeError("fetch failed");
    },
    verdict: "unknown",
  },
};

const call = (name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  method: "tools/call",
  params: { name, arguments: args, ...extra },
});
const modernMeta = {
  _meta: {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": { extensions: { "io.modelcontextprotocol/tasks": {} } },
  },
};

interface Kind {
  message: { method: string; params?: Record<string, unknown> };
  version?: string;
  openDiscovery?: boolean;
  /** Over 1 MiB: the body's room is only for a verified key. */
  big?: boolean;
  leavesState: boolean;
}

/** The kinds of request, and whether each would leave state (or read a durable call, or need the big body's room). */
const KINDS: Record<string, Kind> = {
  ping: { message: { method: "ping" }, leavesState: false },
  initialize: {
    message: {
      method: "initialize",
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "t", version: "1" } },
    },
    leavesState: false,
  },
  "tools/list": { message: { method: "tools/list" }, leavesState: false },
  list_models: { message: call("list_models", { limit: 1 }), leavesState: false },
  "a chat": { message: call("chat_completion", { prompt: "x" }), leavesState: false },
  "a chat under OPEN_DISCOVERY": {
    message: call("chat_completion", { prompt: "x" }),
    openDiscovery: true,
    leavesState: false,
  },
  "a background chat": { message: call("chat_completion", { prompt: "x", background: true }), leavesState: true },
  "a chat as a task (2025-11-25)": {
    message: call("chat_completion", { prompt: "x" }, { task: {} }),
    version: LEGACY,
    leavesState: true,
  },
  "a chat from a client that declared Tasks (2026-07-28)": {
    message: call("chat_completion", { prompt: "x" }, modernMeta),
    version: MODERN,
    leavesState: true,
  },
  get_completion: { message: call("get_completion", { id: "a".repeat(32), wait: 0 }), leavesState: true },
  "tasks/get": {
    message: { method: "tasks/get", params: { taskId: "a".repeat(32) } },
    version: LEGACY,
    leavesState: true,
  },
  "tasks/list under OPEN_DISCOVERY": {
    message: { method: "tasks/list" },
    version: LEGACY,
    openDiscovery: true,
    leavesState: true,
  },
  "a chat of 2 MiB": {
    message: call("chat_completion", { prompt: "x".repeat(2 * 1024 * 1024) }),
    big: true,
    leavesState: true,
  },
};

/** A fake OpenRouter whose GET /key answers `lookup`, and whose chats fail at once (a tool error). */
function fakeOpenRouter(lookup: Outcome): { lookups: () => number } {
  let lookups = 0;
  vi.stubGlobal("fetch", async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${BASE}/key`) {
      lookups++;
      return lookup(init?.signal ?? undefined);
    }
    return new Response(JSON.stringify({ error: { code: 500, message: "down" } }), { status: 500 });
  });
  return { lookups: () => lookups };
}

/**
 * Durable Objects that know of no call and admit none: past the key check, a request about a
 * durable call finds nothing, and one that would start one is refused by its ledger.
 */
const nothingStored = { getByName: () => new Proxy({}, { get: () => async () => undefined }) };
const NO_DURABLE_CALLS = { DURABLE_CALLS: nothingStored, TASK_LEDGERS: nothingStored } as unknown as Env;

let keys = 0;

async function send(kind: Kind, clock: FakeClock, lookups: () => number, hangs: boolean): Promise<Response> {
  const { method, params } = kind.message;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    Authorization: `Bearer sk-or-v1-lookup-outcome-${++keys}`,
  };
  if (kind.version) headers["MCP-Protocol-Version"] = kind.version;
  if (kind.version === MODERN) {
    headers["Mcp-Method"] = method;
    headers["Mcp-Name"] = String(params?.name);
  }
  const request = new Request("http://localhost:8787/mcp", {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, ...(params ? { params } : {}) }),
  });
  const config = readConfig({
    OPENROUTER_BASE_URL: BASE,
    ...(kind.openDiscovery ? { OPEN_DISCOVERY: "true" } : {}),
  });
  const answer = handleMcpRequest(request, config, { ...unitWorker(clock), env: NO_DURABLE_CALLS });
  if (hangs) {
    // A lookup that never answers ends at its deadline, on the fake clock.
    await vi.waitFor(() => expect(lookups()).toBeGreaterThan(0));
    await clock.advance(15_000);
  }
  return answer;
}

describe.each(Object.entries(OUTCOMES))("a key whose lookup ends with %s", (_, { lookup, verdict, hangs }) => {
  it.each(Object.entries(KINDS))("on %s", async (_, kind) => {
    const { lookups } = fakeOpenRouter(lookup);
    const clock = new FakeClock();
    const res = await send(kind, clock, lookups, hangs === true);
    const text = await res.text();
    expect(lookups()).toBe(1);
    if (verdict === "rejected") {
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    } else if (verdict === "unknown" && kind.leavesState) {
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("10");
      expect(JSON.parse(text)).toMatchObject({ error: { code: -32006 } });
    } else {
      // Goes on to be answered by what it asked for, never with 401, 429 or 503 (in Node there
      // are no Durable Objects: what reaches one fails there, past the key check).
      expect([401, 429, 503]).not.toContain(res.status);
      expect(text).not.toMatch(/"code":-3200[156]/);
    }
  });
});
