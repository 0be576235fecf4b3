// Unit tests of the Accept parsing in src/transport/http.ts: which of our two answer types
// (JSON, SSE) a request's Accept header allows.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAccept } from "../../src/transport/http.js";

const both = { json: true, sse: true, sseNamed: false };

describe("readAccept", () => {
  it("allows both types when the header is missing or blank", () => {
    expect(readAccept(null)).toEqual(both);
    expect(readAccept("")).toEqual(both);
    expect(readAccept("  ")).toEqual(both);
  });

  it.each([
    ["application/json", { json: true, sse: false, sseNamed: false }],
    ["text/event-stream", { json: false, sse: true, sseNamed: true }],
    ["application/json, text/event-stream", { json: true, sse: true, sseNamed: true }],
    ["*/*", both],
    ["application/*", { json: true, sse: false, sseNamed: false }],
    ["text/*", { json: false, sse: true, sseNamed: false }],
    ["text/html, image/png", { json: false, sse: false, sseNamed: false }],
    ["Application/JSON ;charset=utf-8,  TEXT/Event-Stream ; q=0.5", { json: true, sse: true, sseNamed: true }],
  ])("reads %j", (header, expected) => {
    expect(readAccept(header)).toEqual(expected);
  });

  it("takes q=0 as a refusal, whatever its spelling, and any other q as acceptance", () => {
    expect(readAccept("application/json, text/event-stream;q=0")).toEqual({ json: true, sse: false, sseNamed: false });
    expect(readAccept("application/json; Q = 0.000, text/event-stream")).toEqual({
      json: false,
      sse: true,
      sseNamed: true,
    });
    expect(readAccept("*/*;q=0")).toEqual({ json: false, sse: false, sseNamed: false });
    expect(readAccept("application/json;q=0.001")).toEqual({ json: true, sse: false, sseNamed: false });
  });

  const mediaRange = fc.constantFrom(
    "application/json",
    "text/event-stream",
    "*/*",
    "application/*",
    "text/*",
    "text/html",
    "image/png",
    "application/xml",
  );
  const part = fc
    .tuple(mediaRange, fc.constantFrom("", ";q=0", ";q=0.5", ";charset=utf-8", " ; q=1"))
    .map(([type, params]) => `${type}${params}`);

  it("does not depend on the order of the media ranges", () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.integer(), (parts, seed) => {
        const shuffled = [...parts].sort(() => (seed = (seed * 16807) % 2147483647) % 2);
        expect(readAccept(shuffled.join(", "))).toEqual(readAccept(parts.join(", ")));
      }),
    );
  });

  it("is never changed by adding a refused range, and only names SSE when it allows it", () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), mediaRange, (parts, refused) => {
        const accepted = readAccept(parts.join(", "));
        expect(readAccept([...parts, `${refused};q=0`].join(", "))).toEqual(accepted);
        if (accepted.sseNamed) expect(accepted.sse).toBe(true);
      }),
    );
  });
});
