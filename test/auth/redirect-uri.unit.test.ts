// Unit tests of src/auth/redirect-uri.ts: which redirect URIs a client may register, and how a
// requested one is matched against them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  APP_SCHEMES,
  MAX_REDIRECT_URI_LENGTH,
  redirectUriAllowed,
  redirectUriProblem,
} from "../../src/auth/redirect-uri.js";
import { NOT_AN_APP, REAL_HOSTS_REDIRECT_URIS } from "../support/redirect-uris.js";

const label = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
  minLength: 1,
  maxLength: 12,
});
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => `${labels.join(".")}.example`);

describe("redirectUriProblem", () => {
  it.each([
    "https://client.example/oauth/callback",
    "https://client.example:8443/cb?x=1",
    "https://client.example/cb?next=https://elsewhere.example/", // a web site's own business
    "http://127.0.0.1/callback",
    "http://127.0.0.1:33418/callback",
    "http://127.9.8.7:1/cb",
    "http://localhost:3000/cb",
    "http://app.localhost/cb",
    "http://[::1]:8080/cb",
    "HTTPS://client.example/cb", // a scheme is case-insensitive: only its case may differ
    "Cursor://anysphere.cursor-mcp/oauth/callback",
    ...REAL_HOSTS_REDIRECT_URIS,
  ])("accepts %s", (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ["http://client.example/cb", /uses http on a host that is not loopback/],
    ["http://127.0.0.1.evil.example/cb", /uses http on a host that is not loopback/],
    ["https://client.example/cb#frag", /must not contain a fragment/],
    ["https://client.example/cb#", /must not contain a fragment/],
    ["https://user:pass@client.example/cb", /must not contain credentials/],
    ["https://user@client.example/cb", /must not contain credentials/],
    ["https://client.example/c b", /whitespace or control characters/],
    ["https://client.example/cb\n", /whitespace or control characters/],
    ["https://client.example/\u0000", /whitespace or control characters/],
    ["/relative/callback", /is not an absolute URI/],
    ["client.example/cb", /is not an absolute URI/],
    ["", /is not an absolute URI/],
    [`https://client.example/${"a".repeat(MAX_REDIRECT_URI_LENGTH)}`, /is longer than 2000 characters/],
  ])("refuses %s", (uri, problem) => {
    expect(redirectUriProblem(uri)).toMatch(problem);
  });

  it.each(NOT_AN_APP)("refuses %s, saying how to register instead", (uri) => {
    expect(redirectUriProblem(uri)).toMatch(
      /register an https URL, a loopback URL .*, or an app's own scheme named after a domain/,
    );
  });

  it.each([
    ["https://good.example\\@evil.example/cb", "https://good.example/@evil.example/cb"],
    ["https:evil.example/cb", "https://evil.example/cb"],
    ["https:/evil.example/cb", "https://evil.example/cb"],
    ["https://good.example", "https://good.example/"],
    ["https://GOOD.example/cb", "https://good.example/cb"],
    ["https://good.example:443/cb", "https://good.example/cb"],
    ["https://good.example/a/../cb", "https://good.example/cb"],
    ["https://bücher.example/cb", "https://xn--bcher-kva.example/cb"],
    ["http://127.0.0.1:80/cb", "http://127.0.0.1/cb"],
    ["http://0x7f.1/cb", "http://127.0.0.1/cb"],
    ["vscode://publisher.extension/a/../callback", "vscode://publisher.extension/callback"],
    ["com.example.app:/a/../cb", "com.example.app:/cb"],
  ])("refuses %s, which is not in canonical form, naming the form to use", (uri, canonical) => {
    expect(redirectUriProblem(uri)).toBe(
      `is not in canonical form: register it exactly as ${JSON.stringify(canonical)}`,
    );
  });

  it.each([
    "cursor://anysphere.cursor-mcp/oauth/callback?next=https://evil.example/cb",
    "cursor://anysphere.cursor-mcp/https://evil.example/cb",
    "vscode://x/cb|https://evil.example",
    "claude://claude.ai/mcp-auth-callback/sdk?u=http://evil.example",
    "com.example.app:https://evil.example/cb",
    "com.example.app:/cb?u=https%3A%2F%2Fevil.example",
    "com.example.app:/cb?u=%68ttps%3A%2F%2Fevil.example",
    "com.example.app:/cb?u=%2568ttps%253A%252F%252Fevil.example",
    "com.example.app:/cb?u=HTTPS://evil.example",
  ])("refuses %s: an app scheme carrying a web address", (uri) => {
    expect(redirectUriProblem(uri)).toMatch(/carries a web address/);
  });

  it("accepts each scheme on the documented list, and no other single word", () => {
    for (const scheme of APP_SCHEMES)
      expect(redirectUriProblem(`${scheme}://publisher.extension/callback`)).toBeUndefined();
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9+-]{0,15}$/), (scheme) => {
        fc.pre(!APP_SCHEMES.has(scheme) && scheme !== "http" && scheme !== "https");
        expect(redirectUriProblem(`${scheme}://publisher.extension/callback`)).toMatch(
          /not known to be an app's own|canonical/,
        );
      }),
    );
  });

  it("accepts any reverse-domain scheme with a path that carries no web address", () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 2, maxLength: 4 }),
        fc.array(label, { maxLength: 4 }),
        (labels, segments) => {
          fc.pre(/^[a-z]/.test(labels[0]!));
          const uri = `${labels.join(".")}:/${segments.join("/")}`;
          fc.pre(!/https?:/.test(uri.slice(uri.indexOf(":") + 1)));
          expect(redirectUriProblem(uri)).toBeUndefined();
        },
      ),
    );
  });

  it("accepts any https URI with a host and no fragment, credentials or whitespace", () => {
    fc.assert(
      fc.property(
        hostname,
        fc.array(label, { maxLength: 5 }),
        fc.array(fc.tuple(label, label), { maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 65535 })),
        (host, segments, query, port) => {
          fc.pre(port !== 443);
          const url = `https://${host}${port === null ? "" : `:${port}`}/${segments.join("/")}${query.length ? `?${new URLSearchParams(query)}` : ""}`;
          expect(redirectUriProblem(url)).toBeUndefined();
        },
      ),
    );
  });
});

describe("redirectUriAllowed", () => {
  const registered = [
    "https://client.example/cb",
    "http://127.0.0.1:4000/cb?app=1",
    "http://localhost/cb",
    "cursor://app/cb",
  ];

  it("allows exactly the registered strings", () => {
    for (const uri of registered) expect(redirectUriAllowed(uri, registered)).toBe(true);
    for (const uri of [
      "https://client.example/cb/",
      "https://client.example/CB",
      "https://client.example/cb?x=1",
      "https://client.example:443/cb ",
      "cursor://app/cb2",
    ]) {
      expect(redirectUriAllowed(uri, registered)).toBe(false);
    }
  });

  it("lets a loopback http redirect name any port (RFC 8252 §7.3), with the same host, path and query", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), (port) => {
        expect(redirectUriAllowed(`http://127.0.0.1:${port}/cb?app=1`, registered)).toBe(true);
        expect(redirectUriAllowed(`http://localhost:${port}/cb`, registered)).toBe(true);
        expect(redirectUriAllowed(`http://127.0.0.1:${port}/cb`, registered)).toBe(false); // the query differs
        expect(redirectUriAllowed(`http://127.0.0.1:${port}/other?app=1`, registered)).toBe(false);
        expect(redirectUriAllowed(`http://localhost:${port}/cb#x`, registered)).toBe(false);
        expect(redirectUriAllowed(`http://127.0.0.2:${port}/cb?app=1`, registered)).toBe(false);
        expect(redirectUriAllowed(`https://127.0.0.1:${port}/cb?app=1`, registered)).toBe(false);
      }),
    );
  });

  it("never lets the port vary off loopback", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), (port) => {
        fc.pre(port !== 443);
        expect(redirectUriAllowed(`https://client.example:${port}/cb`, registered)).toBe(false);
      }),
    );
  });

  it("allows nothing when nothing is registered", () => {
    fc.assert(
      fc.property(fc.string(), (uri) => {
        expect(redirectUriAllowed(uri, [])).toBe(false);
      }),
    );
  });
});
