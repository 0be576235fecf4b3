// The shared HTTP helpers and the one decoder at trust boundaries, as pure functions.
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { decode, decodeJson } from "../src/decode.js";
import { isLoopbackHostname, mediaType, methodNotAllowed, readTextWithin, redirectResponse } from "../src/http.js";

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

describe("decode", () => {
  const schema = z.object({ a: z.string("a must be a string") });
  it("gives the value, or the first problem and its field", () => {
    expect(decode({ a: "x", b: 1 }, schema)).toEqual({ ok: true, value: { a: "x" } });
    expect(decode({ a: 1 }, schema)).toEqual({ ok: false, problem: "a must be a string", field: "a" });
    expect(decodeJson("{", schema)).toMatchObject({ ok: false, field: undefined });
  });
});
