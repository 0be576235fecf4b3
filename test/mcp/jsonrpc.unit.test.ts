// Unit tests of src/mcp/jsonrpc.ts: how a body and each message in it are classified, and how an
// answer is serialised. No Worker: these run in milliseconds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  messageJson,
  classifyMessage,
  ErrorCode,
  failure,
  MAX_BATCH_MEMBERS,
  MAX_ID_CHARACTERS,
  parseBody,
  quoted,
  SerializedResult,
  success,
} from "../../src/mcp/jsonrpc.js";

const anyId = fc.oneof(fc.string({ maxLength: MAX_ID_CHARACTERS }), fc.integer());
// zod drops a "__proto__" key from a record (as it should); every other key is kept.
const anyParams = fc.option(
  fc.dictionary(
    fc.string().filter((key) => key !== "__proto__"),
    fc.jsonValue(),
  ),
  { nil: undefined },
);
const invalidRequest = (id: string | number | null, detail: string) => ({
  kind: "invalid",
  id,
  error: { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${detail}` },
});

describe("classifyMessage", () => {
  it("reads a request: id, method and params", () => {
    expect(classifyMessage({ jsonrpc: "2.0", id: 7, method: "tools/list" })).toEqual({
      kind: "request",
      id: 7,
      method: "tools/list",
      params: undefined,
    });
    expect(classifyMessage({ jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "x" } })).toEqual({
      kind: "request",
      id: "a",
      method: "tools/call",
      params: { name: "x" },
    });
  });

  it("reads a notification: a method without an id, with its params", () => {
    expect(classifyMessage({ jsonrpc: "2.0", method: "notifications/initialized" })).toEqual({
      kind: "notification",
      method: "notifications/initialized",
      params: undefined,
    });
    expect(classifyMessage({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } })).toEqual({
      kind: "notification",
      method: "notifications/cancelled",
      params: { requestId: 1 },
    });
  });

  it("accepts a client's response, with a result or an error, and a null id", () => {
    expect(classifyMessage({ jsonrpc: "2.0", id: 1, result: {} })).toEqual({ kind: "response", id: 1 });
    expect(classifyMessage({ jsonrpc: "2.0", id: null, result: null })).toEqual({ kind: "response", id: null });
    expect(classifyMessage({ jsonrpc: "2.0", id: "x", error: { code: -1, message: "no" } })).toEqual({
      kind: "response",
      id: "x",
    });
  });

  it.each([null, [], [{ jsonrpc: "2.0", id: 1, method: "ping" }], 1, "ping", true])(
    "refuses %j: not an object",
    (value) => {
      expect(classifyMessage(value)).toEqual(invalidRequest(null, "a JSON-RPC message must be an object"));
    },
  );

  it.each([
    [{ id: 1, method: "ping" }, 1, '"jsonrpc" must be "2.0"'],
    [{ jsonrpc: "1.0", id: 1, method: "ping" }, 1, '"jsonrpc" must be "2.0"'],
    [{ jsonrpc: "2.0", id: 2, method: 42 }, 2, '"method" must be a string'],
    [{ jsonrpc: "2.0", method: null }, null, '"method" must be a string'],
    [{ jsonrpc: "2.0", id: 1.5, method: "ping" }, null, '"id" must be a string or an integer'],
    [{ jsonrpc: "2.0", id: null, method: "ping" }, null, '"id" must be a string or an integer'],
    [{ jsonrpc: "2.0", id: { a: 1 }, method: "ping" }, null, '"id" must be a string or an integer'],
    [
      { jsonrpc: "2.0", id: "x".repeat(MAX_ID_CHARACTERS + 1), method: "ping" },
      null,
      `"id" must be at most ${MAX_ID_CHARACTERS} characters`,
    ],
    [
      { jsonrpc: "2.0", id: "x".repeat(MAX_ID_CHARACTERS + 1), result: {} },
      null,
      `"id" must be at most ${MAX_ID_CHARACTERS} characters`,
    ],
    [{ jsonrpc: "2.0", id: 3, method: "ping", params: [1] }, 3, '"params" must be an object'],
    [{ jsonrpc: "2.0", method: "ping", params: "x" }, null, '"params" must be an object'],
    [{ jsonrpc: "2.0", id: 4 }, 4, "not a JSON-RPC request, notification or response"],
    [
      { jsonrpc: "2.0", id: 5, error: { code: "x", message: "m" } },
      5,
      "not a JSON-RPC request, notification or response",
    ],
    [{}, null, '"jsonrpc" must be "2.0"'],
  ])("refuses %j, keeping a readable id (%j) to answer with", (value, id, detail) => {
    expect(classifyMessage(value)).toEqual(invalidRequest(id, detail));
  });

  it("takes a string id of up to MAX_ID_CHARACTERS, and any integer", () => {
    const longest = "x".repeat(MAX_ID_CHARACTERS);
    expect(classifyMessage({ jsonrpc: "2.0", id: longest, method: "ping" })).toMatchObject({
      kind: "request",
      id: longest,
    });
    expect(classifyMessage({ jsonrpc: "2.0", id: Number.MAX_SAFE_INTEGER, method: "ping" })).toMatchObject({
      kind: "request",
    });
  });

  it("classifies any JSON value without throwing, as one of four kinds", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(["request", "notification", "response", "invalid"]).toContain(classifyMessage(value).kind);
      }),
    );
  });

  it("reads every well-formed request back exactly", () => {
    fc.assert(
      fc.property(anyId, fc.string(), anyParams, (id, method, params) => {
        const message = params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
        expect(classifyMessage(message)).toEqual({ kind: "request", id, method, params });
      }),
    );
  });

  it("reads every well-formed notification as one, with its params", () => {
    fc.assert(
      fc.property(fc.string(), anyParams, (method, params) => {
        expect(classifyMessage({ jsonrpc: "2.0", method, ...(params ? { params } : {}) })).toEqual({
          kind: "notification",
          method,
          params,
        });
      }),
    );
  });
});

describe("answers", () => {
  it("messageJson writes a success or a failure as JSON-RPC", () => {
    fc.assert(
      fc.property(fc.option(anyId, { nil: null }), fc.dictionary(fc.string(), fc.jsonValue()), (id, result) => {
        expect(JSON.parse(messageJson(success(id, result)))).toEqual(
          JSON.parse(JSON.stringify({ jsonrpc: "2.0", id, result })),
        );
      }),
    );
    fc.assert(
      fc.property(
        fc.option(anyId, { nil: null }),
        fc.integer(),
        fc.string(),
        fc.option(fc.jsonValue(), { nil: undefined }),
        (id, code, message, data) => {
          const error = data === undefined ? { code, message } : { code, message, data };
          expect(JSON.parse(messageJson(failure(id, error)))).toEqual(
            JSON.parse(JSON.stringify({ jsonrpc: "2.0", id, error })),
          );
        },
      ),
    );
  });

  it("messageJson splices a result serialised ahead", () => {
    fc.assert(
      fc.property(fc.option(anyId, { nil: null }), fc.dictionary(fc.string(), fc.jsonValue()), (id, result) => {
        const spliced = messageJson(success(id, new SerializedResult(JSON.stringify(result))));
        expect(spliced).toBe(messageJson(success(id, result)));
      }),
    );
  });

  it("quotes a client's text back cut short", () => {
    expect(quoted("tools/lisst")).toBe('"tools/lisst"');
    expect(JSON.parse(quoted("x".repeat(10_000)))).toBe(`${"x".repeat(100)}…`);
  });

  it("uses the standard JSON-RPC codes", () => {
    expect(ErrorCode).toMatchObject({
      ParseError: -32700,
      InvalidRequest: -32600,
      MethodNotFound: -32601,
      InvalidParams: -32602,
      InternalError: -32603,
    });
  });
});

describe("parseBody", () => {
  const ping = { jsonrpc: "2.0", id: 1, method: "ping" };

  it("refuses a body that is not JSON, with a parse error", () => {
    for (const text of ["", "{", "ping", "{'a':1}", "[1,]"]) {
      expect(parseBody(text, "2025-11-25")).toEqual({
        ok: false,
        error: { code: ErrorCode.ParseError, message: "Parse error: the body is not valid JSON." },
      });
    }
  });

  it("reads one message", () => {
    expect(parseBody(JSON.stringify(ping), "2025-11-25")).toEqual({
      ok: true,
      isBatch: false,
      messages: [classifyMessage(ping)],
    });
  });

  it("reads a batch only in 2025-03-26, and never an empty one", () => {
    const batch = [ping, { jsonrpc: "2.0", method: "notifications/initialized" }];
    expect(parseBody(JSON.stringify(batch), "2025-03-26")).toEqual({
      ok: true,
      isBatch: true,
      messages: batch.map(classifyMessage),
    });
    expect(parseBody("[]", "2025-03-26")).toEqual({
      ok: false,
      error: { code: ErrorCode.InvalidRequest, message: "Invalid Request: empty batch." },
    });
    for (const version of ["2025-11-25", "2025-06-18", "2024-11-05", "2026-07-28"]) {
      const refused = parseBody(JSON.stringify(batch), version);
      expect(refused).toMatchObject({ error: { code: ErrorCode.InvalidRequest } });
      expect(!refused.ok && refused.error.message).toContain(
        `only part of protocol version 2025-03-26, not ${version}`,
      );
    }
  });

  it(`reads a batch of up to ${MAX_BATCH_MEMBERS} messages, and refuses a larger one saying how many it may hold`, () => {
    expect(parseBody(JSON.stringify(Array(MAX_BATCH_MEMBERS).fill(ping)), "2025-03-26")).toMatchObject({
      isBatch: true,
    });
    const refused = parseBody(JSON.stringify(Array(MAX_BATCH_MEMBERS + 1).fill(ping)), "2025-03-26");
    expect(refused).toEqual({
      ok: false,
      error: {
        code: ErrorCode.InvalidRequest,
        message: `Invalid Request: a batch may hold at most ${MAX_BATCH_MEMBERS} messages, not ${MAX_BATCH_MEMBERS + 1}. Send the rest in further requests.`,
      },
    });
  });

  it("classifies every JSON body: one message, or one per member of a batch", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (generated) => {
        const text = JSON.stringify(generated);
        const value: unknown = JSON.parse(text); // as the Worker sees it (-0 reads back as 0)
        const parsed = parseBody(text, "2025-03-26");
        if (!Array.isArray(value))
          expect(parsed).toEqual({ ok: true, isBatch: false, messages: [classifyMessage(value)] });
        else if (value.length === 0 || value.length > MAX_BATCH_MEMBERS)
          expect(parsed).toHaveProperty("error.code", ErrorCode.InvalidRequest);
        else expect(parsed).toEqual({ ok: true, isBatch: true, messages: value.map(classifyMessage) });
      }),
    );
  });
});
