// Unit tests of src/mcp/caller.ts: what a tools/call's `_meta` adds to its log line (clientInfo,
// traceparent). Lenient throughout: a field that does not fit is dropped, never an error.
// (test/tools/call-log.test.ts drives the same through the running Worker.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callerOf, requestCaller } from "../../src/mcp/caller.js";
import type { Caller } from "../../src/trace.js";

const CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const PARENT_ID = "b7ad6b7169203331";
const REQUEST: Caller = { era: "modern", client: "curl/8.5.0", key: "0123abcd" };

const traced = (traceparent: unknown) => callerOf(REQUEST, { traceparent });
const named = (clientInfo: unknown) => callerOf(REQUEST, { [CLIENT_INFO]: clientInfo });

describe("callerOf", () => {
  it("keeps the request's caller when _meta says nothing of use", () => {
    for (const meta of [
      undefined,
      null,
      {},
      [],
      "x",
      7,
      { progressToken: 1 },
      { [CLIENT_INFO]: null, traceparent: null },
    ]) {
      expect(callerOf(REQUEST, meta)).toEqual(REQUEST);
    }
  });

  it("reads clientInfo's name and version, each cut to 64 characters", () => {
    expect(named({ name: "inspector", version: "1.2.3" })).toEqual({
      ...REQUEST,
      client: "inspector",
      client_version: "1.2.3",
    });
    const long = "n".repeat(1_000_000);
    expect(named({ name: long, version: long })).toEqual({
      ...REQUEST,
      client: "n".repeat(64),
      client_version: "n".repeat(64),
    });
  });

  it("takes the name without a usable version, and drops both without a usable name", () => {
    expect(named({ name: "bare" })).toEqual({ ...REQUEST, client: "bare", client_version: undefined });
    expect(named({ name: "odd", version: 2 })).toEqual({ ...REQUEST, client: "odd", client_version: undefined });
    for (const info of [
      { version: "1" },
      { name: 5, version: "1" },
      { name: null },
      { name: ["x"] },
      "inspector",
      ["inspector"],
      3,
    ]) {
      expect(named(info)).toEqual(REQUEST);
    }
  });

  it("reads a traceparent into a span of the call's own, child of the caller's", () => {
    const caller = traced(`00-${TRACE_ID}-${PARENT_ID}-01`);
    expect(caller).toMatchObject({ ...REQUEST, trace_id: TRACE_ID, parent_span_id: PARENT_ID, trace_flags: "01" });
    expect(caller.span_id).toMatch(/^[\da-f]{16}$/);
    expect(caller.span_id).not.toBe(PARENT_ID);
  });

  it("ignores a traceparent that is not W3C's version 00, or names no trace or parent", () => {
    for (const value of [
      `00-${"0".repeat(32)}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${"0".repeat(16)}-01`,
      `01-${TRACE_ID}-${PARENT_ID}-01`,
      `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-01-extra`,
      ` 00-${TRACE_ID}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-01${"f".repeat(1_000_000)}`,
      "not a traceparent",
      "",
      // A string only: before, String() made a one-string array read as that string.
      [`00-${TRACE_ID}-${PARENT_ID}-01`],
      { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
      1,
      true,
    ]) {
      expect(traced(value)).toEqual(REQUEST);
    }
  });

  it("keeps each field that fits when the other does not", () => {
    const both = { [CLIENT_INFO]: { name: "ok", version: "1" }, traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` };
    expect(callerOf(REQUEST, { ...both, traceparent: 42 })).toEqual({ ...REQUEST, client: "ok", client_version: "1" });
    expect(callerOf(REQUEST, { ...both, [CLIENT_INFO]: { name: 42 } })).toMatchObject({
      ...REQUEST,
      trace_id: TRACE_ID,
      client: REQUEST.client,
    });
  });

  it("never throws, and names a client from clientInfo's name only when that is a string", () => {
    const nameIn = (info: unknown) =>
      typeof info === "object" && info !== null && !Array.isArray(info) ? (info as { name?: unknown }).name : undefined;
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.record({ name: fc.jsonValue(), version: fc.jsonValue() })),
        fc.jsonValue(),
        (clientInfo, traceparent) => {
          const caller = callerOf(REQUEST, { [CLIENT_INFO]: clientInfo, traceparent });
          const name = nameIn(clientInfo);
          expect(caller.client).toBe(typeof name === "string" ? name.slice(0, 64) : REQUEST.client);
          expect(caller.trace_id).toBeUndefined();
          expect([caller.era, caller.key]).toEqual([REQUEST.era, REQUEST.key]);
        },
      ),
    );
  });
});

describe("requestCaller", () => {
  it("names the User-Agent's first product, cut to 64 characters", () => {
    expect(requestCaller("legacy", "k", "curl/8.5.0 (x86_64)")).toEqual({
      era: "legacy",
      client: "curl/8.5.0",
      key: "k",
    });
    expect(requestCaller("legacy", undefined, null)).toEqual({ era: "legacy", client: undefined, key: undefined });
    expect(requestCaller("modern", "k", "a".repeat(100))?.client).toBe("a".repeat(64));
  });
});
