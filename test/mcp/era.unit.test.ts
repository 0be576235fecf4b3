// Unit tests of src/mcp/era.ts: which era a request speaks, and the checks a modern request must
// pass, on messages parsed as the Worker parses them (classifyMessage). (test/mcp/era.test.ts
// drives the same rules through the running Worker.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkModernRequest, decodeHeaderValue, detectEra, unsupportedVersion } from "../../src/mcp/era.js";
import { classifyMessage, ErrorCode } from "../../src/mcp/jsonrpc.js";
import { SUPPORTED_PROTOCOL_VERSIONS } from "../../src/mcp/versions.js";

const MODERN = "2026-07-28";
const meta = (version: string = MODERN) => ({
  "io.modelcontextprotocol/protocolVersion": version,
  "io.modelcontextprotocol/clientInfo": { name: "unit", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
});
const request = (method: string, params: Record<string, unknown> = {}, id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method,
  params: { ...params, _meta: meta() },
});
const headers = (method: string, extra: Record<string, string> = {}) =>
  new Headers({ "MCP-Protocol-Version": MODERN, "Mcp-Method": method, ...extra });
const eraOf = (header: string | null, message: unknown) => detectEra(header, classifyMessage(message));
const check = (message: unknown, requestHeaders: Headers) =>
  checkModernRequest(classifyMessage(message), requestHeaders);
const base64Sentinel = (text: string) => `=?base64?${btoa(String.fromCharCode(...new TextEncoder().encode(text)))}?=`;

describe("detectEra", () => {
  it("keeps initialize legacy, whatever the header says", () => {
    expect(eraOf(MODERN, { jsonrpc: "2.0", id: 1, method: "initialize", params: { _meta: meta() } })).toBe("legacy");
  });

  it("follows the MCP-Protocol-Version header when there is one", () => {
    expect(eraOf(MODERN, request("tools/list"))).toBe("modern");
    expect(eraOf("2025-11-25", request("tools/list"))).toBe("legacy");
    expect(eraOf("2099-01-01", request("tools/list"))).toBe("legacy");
  });

  it("without a header, reads the version in _meta", () => {
    expect(eraOf(null, request("tools/list"))).toBe("modern");
    expect(eraOf(null, { jsonrpc: "2.0", id: 1, method: "tools/list" })).toBe("legacy");
    expect(eraOf(null, { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: {} } })).toBe("legacy");
  });

  it("calls anything that is not an object legacy, so the legacy path answers it, and a batch too", () => {
    for (const value of [null, [], [request("tools/list")], "x", 1]) expect(eraOf(null, value)).toBe("legacy");
    expect(detectEra(null, undefined)).toBe("legacy");
  });

  it("reads _meta only from a valid message: an invalid one is legacy and answered as invalid", () => {
    expect(eraOf(null, { ...request("tools/list"), id: 1.5 })).toBe("legacy");
    expect(eraOf(null, { ...request("tools/list"), jsonrpc: "1.0" })).toBe("legacy");
  });
});

describe("checkModernRequest", () => {
  it("passes a well-formed request, and a tools/call whose Mcp-Name matches", () => {
    expect(check(request("tools/list"), headers("tools/list"))).toBeUndefined();
    expect(
      check(
        request("tools/call", { name: "chat_completion" }),
        headers("tools/call", { "Mcp-Name": "chat_completion" }),
      ),
    ).toBeUndefined();
    expect(
      check(
        request("tools/call", { name: "naïve tool" }),
        headers("tools/call", { "Mcp-Name": base64Sentinel("naïve tool") }),
      ),
    ).toBeUndefined();
  });

  it("passes a notification without the request-only _meta fields", () => {
    expect(
      check({ jsonrpc: "2.0", method: "notifications/cancelled", params: {} }, headers("notifications/cancelled")),
    ).toBeUndefined();
  });

  it("leaves what is not a valid message to the JSON-RPC layer", () => {
    expect(check([request("tools/list")], headers("tools/list"))).toBeUndefined();
    expect(check("x", headers("tools/list"))).toBeUndefined();
    expect(check({ ...request("tools/list"), id: 1.5 }, headers("ping"))).toBeUndefined();
  });

  it.each([
    [
      "no MCP-Protocol-Version header",
      request("tools/list"),
      new Headers({ "Mcp-Method": "tools/list" }),
      ErrorCode.HeaderMismatch,
      /MCP-Protocol-Version header is required/,
    ],
    [
      "no version in _meta",
      { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} },
      headers("tools/list"),
      ErrorCode.InvalidParams,
      /protocolVersion"\] is required/,
    ],
    [
      "a header that differs from _meta",
      request("tools/list"),
      headers("tools/list", { "MCP-Protocol-Version": "2025-11-25" }),
      ErrorCode.HeaderMismatch,
      /header "2025-11-25" does not match _meta protocol version "2026-07-28"/,
    ],
    [
      "no client capabilities",
      {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/list",
        params: { _meta: { "io.modelcontextprotocol/protocolVersion": MODERN } },
      },
      headers("tools/list"),
      ErrorCode.InvalidParams,
      /clientCapabilities"\] is required/,
    ],
    [
      "no Mcp-Method header",
      request("tools/list"),
      new Headers({ "MCP-Protocol-Version": MODERN }),
      ErrorCode.HeaderMismatch,
      /Mcp-Method header is required/,
    ],
    [
      "an Mcp-Method that differs from the body",
      request("tools/list"),
      headers("ping"),
      ErrorCode.HeaderMismatch,
      /Mcp-Method header "ping" does not match body method "tools\/list"/,
    ],
    [
      "tools/call without Mcp-Name",
      request("tools/call", { name: "chat_completion" }),
      headers("tools/call"),
      ErrorCode.HeaderMismatch,
      /Mcp-Name header is required/,
    ],
    [
      "an Mcp-Name that differs from the body",
      request("tools/call", { name: "chat_completion" }),
      headers("tools/call", { "Mcp-Name": "other" }),
      ErrorCode.HeaderMismatch,
      /Mcp-Name header "other" does not match body name "chat_completion"/,
    ],
    [
      "a malformed base64 Mcp-Name",
      request("tools/call", { name: "chat_completion" }),
      headers("tools/call", { "Mcp-Name": "=?base64?***?=" }),
      ErrorCode.HeaderMismatch,
      /Mcp-Name header is not a valid value/,
    ],
    [
      "a response sent by the client",
      { jsonrpc: "2.0", id: 1, result: {} },
      headers("tools/list"),
      ErrorCode.InvalidRequest,
      /clients do not send responses/,
    ],
  ])("refuses %s with 400", (_, message, requestHeaders, code, text) => {
    const rejection = check(message, requestHeaders);
    expect(rejection).toMatchObject({ status: 400, id: 1, error: { code } });
    expect(rejection!.error.message).toMatch(text);
  });

  it("refuses a version we do not speak, naming the ones we do", () => {
    const future = { jsonrpc: "2.0", id: "f", method: "tools/list", params: { _meta: meta("2099-01-01") } };
    expect(check(future, headers("tools/list", { "MCP-Protocol-Version": "2099-01-01" }))).toEqual(
      unsupportedVersion("2099-01-01", "f"),
    );
    expect(unsupportedVersion("2099-01-01", "f")).toEqual({
      status: 400,
      id: "f",
      error: {
        code: ErrorCode.UnsupportedProtocolVersion,
        message: `Unsupported protocol version "2099-01-01". Supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}.`,
        data: { supported: SUPPORTED_PROTOCOL_VERSIONS, requested: "2099-01-01" },
      },
    });
  });

  it("answers with the request's id whatever it is, and null when it has none", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 256 }), fc.integer()), (id) => {
        expect(check(request("tools/list", {}, id), headers("ping"))?.id).toBe(id);
      }),
    );
    expect(check({ jsonrpc: "2.0", method: "x" }, new Headers())?.id).toBeNull();
  });
});

describe("decodeHeaderValue", () => {
  it("returns a plain value as it is", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.startsWith("=?base64?")),
        (value) => {
          expect(decodeHeaderValue(value)).toBe(value);
        },
      ),
    );
  });

  it("decodes the base64 sentinel back to any UTF-8 text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(decodeHeaderValue(base64Sentinel(text))).toBe(text);
      }),
    );
  });

  it("refuses a sentinel that is malformed or not UTF-8", () => {
    for (const value of [
      "=?base64?",
      "=?base64?abc",
      "=?base64?a b?=",
      "=?base64?=abc?=",
      `=?base64?${btoa("\xff\xfe")}?=`,
    ]) {
      expect(decodeHeaderValue(value)).toBeUndefined();
    }
  });
});
