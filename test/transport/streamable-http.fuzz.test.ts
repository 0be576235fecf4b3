// Property-based fuzzing of /mcp: whatever arrives, the answer is well-formed and never a 5xx.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { UNREACHABLE_OPENROUTER, useWorker } from "../support/fixture.js";

// The upstream is unreachable: fuzzed tool calls must fail cleanly, not hang.
const worker = useWorker(UNREACHABLE_OPENROUTER);

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** Checks one answer: no 5xx, and a body that is empty, SSE, or JSON-RPC shaped JSON. */
async function expectWellFormed(res: Response): Promise<void> {
  expect(res.status).toBeLessThan(500);
  const text = await res.text();
  if (res.status === 202 || res.status === 204) return expect(text).toBe("");
  const type = res.headers.get("Content-Type") ?? "";
  if (type.startsWith("text/event-stream"))
    return expect(text).toMatch(/^(event: message\ndata: .+\n\n|: keepalive\n\n)+$/s);
  expect(type).toContain("application/json");
  const body = JSON.parse(text);
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages) {
    expect(message.jsonrpc).toBe("2.0");
    expect("result" in message || "error" in message).toBe(true);
    if ("error" in message) {
      expect(Number.isInteger(message.error.code)).toBe(true);
      expect(typeof message.error.message).toBe("string");
    }
  }
}

function send(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(worker.mcpUrl, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      Authorization: `Bearer ${VALID_KEY}`,
      ...headers,
    },
    body,
  });
}

const methods = fc.constantFrom(
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "server/discover",
  "notifications/initialized",
  "nope",
  "",
);
const ids = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), fc.boolean(), fc.constant(undefined));
const anyJson = fc.jsonValue({ maxDepth: 4 });
const message = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), fc.constant("1.0"), anyJson),
    id: ids,
    method: fc.oneof(methods, anyJson),
    params: fc.oneof(
      anyJson,
      fc.record(
        { name: fc.oneof(fc.constant("chat_completion"), fc.string()), arguments: anyJson, _meta: anyJson },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe("fuzzing /mcp", () => {
  it("answers arbitrary JSON-RPC-like messages well-formed", async () => {
    await fc.assert(
      fc.asyncProperty(
        message,
        fc.constantFrom("2025-11-25", "2025-03-26", "2026-07-28", "bogus", ""),
        async (msg, version) => {
          const headers: Record<string, string> = version ? { "MCP-Protocol-Version": version } : {};
          if (typeof msg.method === "string") headers["Mcp-Method"] = msg.method.replace(/[^\x20-\x7e]/g, "");
          await expectWellFormed(await send(JSON.stringify(msg), headers));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("answers arbitrary JSON values and batches well-formed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, fc.array(message, { maxLength: 20 })), async (value) => {
        await expectWellFormed(await send(JSON.stringify(value) ?? "null"));
      }),
      { numRuns: RUNS },
    );
  });

  it("answers arbitrary text and bytes (invalid UTF-8 included) well-formed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((bytes) => new Uint8Array(bytes)),
        ),
        async (body) => {
          await expectWellFormed(await send(body));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("answers odd headers well-formed", async () => {
    const headerValue = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, "").trim());
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            "Content-Type": headerValue,
            Accept: headerValue,
            "MCP-Protocol-Version": headerValue,
            "Mcp-Name": headerValue,
            Authorization: headerValue,
          },
          { requiredKeys: [] },
        ),
        async (headers) => {
          await expectWellFormed(
            await send(
              JSON.stringify({
                jsonrpc: "2.0",
                id: 1,
                method: "tools/call",
                params: { name: "chat_completion", arguments: { prompt: "x" } },
              }),
              headers,
            ),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("survives deep nesting, huge strings and a giant batch", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    await expectWellFormed(await send(deep));
    const deepObject = '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000);
    await expectWellFormed(await send(deepObject));
    const hugeString = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "chat_completion", arguments: { prompt: "x".repeat(1_000_000) } },
    });
    const huge = await send(hugeString);
    expect([200, 413]).toContain(huge.status);
    await huge.text();
    // A batch larger than one request may hold is refused whole (test/transport/limits.test.ts).
    const batch = JSON.stringify(Array.from({ length: 5_000 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "ping" })));
    const res = await send(batch, { "MCP-Protocol-Version": "2025-03-26" });
    expect(res.status).toBe(400);
    await expectWellFormed(res);
  });
});
