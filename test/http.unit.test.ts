// The shared HTTP helpers and the one decoder at trust boundaries, as pure functions.
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { decode, decodeJson } from "../src/decode.js";
import {
  BigBodyClaim,
  isLoopbackHostname,
  mediaType,
  methodNotAllowed,
  readBody,
  readTextWithin,
  redirectResponse,
} from "../src/http.js";

describe("mediaType", () => {
  it.each([
    ["application/json", "application/json"],
    ["Application/JSON; charset=utf-8", "application/json"],
    [" application/x-www-form-urlencoded ;charset=UTF-8", "application/x-www-form-urlencoded"],
    ["", undefined],
    [null, undefined],
  ])("%j is %j", (header, type) => expect(mediaType(header)).toBe(type));
});

describe("isLoopbackHostname", () => {
  it.each(["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]"])("%s is loopback", (h) =>
    expect(isLoopbackHostname(h)).toBe(true),
  );
  it.each(["example.com", "10.0.0.1", "localhost.example.com", "128.0.0.1"])("%s is not", (h) =>
    expect(isLoopbackHostname(h)).toBe(false),
  );
});

describe("answers", () => {
  it("405 names the allowed methods", async () => {
    const res = methodNotAllowed("POST", { "Access-Control-Allow-Origin": "*" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await res.json()).toMatchObject({ error: "method_not_allowed" });
  });

  it("redirects are never cached and send no Referer", () => {
    const res = redirectResponse("/x", { cookies: ["a=1", "b=2"], status: 303 });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/x");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("reads a body only up to its limit", async () => {
    expect(await readTextWithin(new Request("http://x/", { method: "POST", body: "hello" }), 5)).toBe("hello");
    expect(await readTextWithin(new Request("http://x/", { method: "POST", body: "hello!" }), 5)).toBeUndefined();
    expect(await readTextWithin(new Request("http://x/"), 5)).toBe("");
  });
});

describe("readBody", () => {
  /** A body sent in these pieces, with a Content-Length when `declared`. */
  const sent = (pieces: Uint8Array[], declared?: number) =>
    new Request("http://x/", {
      method: "POST",
      headers: declared === undefined ? {} : { "Content-Length": String(declared) },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const piece of pieces) controller.enqueue(piece);
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("decodes a body once, whole: a character split between chunks comes out whole", async () => {
    const whole = bytes(`${"é".repeat(40_000)}€ end`);
    const pieces = [whole.subarray(0, 1), whole.subarray(1, 30_001), whole.subarray(30_001)];
    for (const declared of [undefined, whole.byteLength]) {
      expect(await readBody(sent(pieces, declared), 1024 * 1024)).toEqual({
        ok: true,
        text: `${"é".repeat(40_000)}€ end`,
        bytes: whole.byteLength,
      });
    }
  });

  it("refuses a body past its limit, declared or not", async () => {
    const body = [bytes("x".repeat(600)), bytes("x".repeat(600))];
    expect(await readBody(sent(body), 1000)).toEqual({ ok: false, why: "too-large" });
    expect(await readBody(sent([], 1200), 1000)).toEqual({ ok: false, why: "too-large" });
  });

  it("reads one big body at a time: past `from`, a body needs the isolate's one place, held until released", async () => {
    const big = () => [bytes("x".repeat(600)), bytes("x".repeat(600))];
    const first = new BigBodyClaim();
    const second = new BigBodyClaim();
    try {
      expect(await readBody(sent(big()), 2000, { from: 1000, claim: first })).toMatchObject({ ok: true, bytes: 1200 });
      // Chunked or declared, the next big body is busy while the first claim holds the place.
      expect(await readBody(sent(big()), 2000, { from: 1000, claim: second })).toEqual({ ok: false, why: "busy" });
      expect(await readBody(sent(big(), 1200), 2000, { from: 1000, claim: second })).toEqual({
        ok: false,
        why: "busy",
      });
      // A small body never needs it; the claim that holds it reads on.
      expect(await readBody(sent([bytes("small")]), 2000, { from: 1000, claim: second })).toMatchObject({ ok: true });
      expect(await readBody(sent(big()), 2000, { from: 1000, claim: first })).toMatchObject({ ok: true });
      first.release();
      expect(await readBody(sent(big(), 1200), 2000, { from: 1000, claim: second })).toMatchObject({ ok: true });
    } finally {
      first.release();
      second.release();
    }
    expect(await readBody(sent(big()), 2000, { from: 1000, claim: new BigBodyClaim() })).toMatchObject({ ok: true });
  });
});

describe("decode", () => {
  const schema = z.object({ a: z.string("a must be a string") });
  it("gives the value, or the first problem and its field", () => {
    expect(decode({ a: "x", b: 1 }, schema)).toEqual({ ok: true, value: { a: "x" } });
    expect(decode({ a: 1 }, schema)).toEqual({ ok: false, problem: "a must be a string", field: "a" });
    expect(decodeJson("{", schema)).toMatchObject({ ok: false, field: undefined });
  });
});
