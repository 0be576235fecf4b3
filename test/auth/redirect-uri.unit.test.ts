// Unit tests of src/auth/redirect-uri.ts: which redirect URIs a client may register, and how a
// requested one is matched against them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_REDIRECT_URI_LENGTH, redirectUriAllowed, redirectUriProblem } from "../../src/auth/redirect-uri.js";

const label = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength: 1, maxLength: 12 });
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => `${labels.join(".")}.example`);

describe("redirectUriProblem", () => {
  it.each([
    "https://client.example/oauth/callback",
    "https://client.example:8443/cb?x=1",
    "http://127.0.0.1/callback",
    "http://127.0.0.1:33418/callback",
    "http://127.9.8.7:1/cb",
    "http://localhost:3000/cb",
    "http://app.localhost/cb",
    "http://[::1]:8080/cb",
    "cursor://anysphere.cursor-retrieval/oauth/callback",
    "vscode://vscode.github-authentication/did-authenticate",
    "com.example.app:/oauth2redirect",
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

  it.each(["javascript", "data", "vbscript", "file", "blob", "about", "filesystem", "view-source", "ftp", "ws", "wss", "mailto", "tel", "sms", "chrome", "chrome-extension", "resource", "jar"])(
    "refuses the %s: scheme, which is no app of its own to receive the response",
    (scheme) => {
      expect(redirectUriProblem(`${scheme}://x/cb`)).toBe(`uses the scheme "${scheme}:", which hands the response to a browser, a web page or no app at all`);
      expect(redirectUriProblem(`${scheme.toUpperCase()}://x/cb`)).toMatch(/hands the response to a browser, a web page or no app at all/);
    },
  );

  it("accepts any https URI with a host and no fragment, credentials or whitespace", () => {
    fc.assert(
      fc.property(hostname, fc.array(label, { maxLength: 5 }), fc.array(fc.tuple(label, label), { maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 })), (host, segments, query, port) => {
        const url = `https://${host}${port === null ? "" : `:${port}`}/${segments.join("/")}${query.length ? `?${new URLSearchParams(query)}` : ""}`;
        expect(redirectUriProblem(url)).toBeUndefined();
      }),
    );
  });
});

describe("redirectUriAllowed", () => {
  const registered = ["https://client.example/cb", "http://127.0.0.1:4000/cb?app=1", "http://localhost/cb", "cursor://app/cb"];

  it("allows exactly the registered strings", () => {
    for (const uri of registered) expect(redirectUriAllowed(uri, registered)).toBe(true);
    for (const uri of ["https://client.example/cb/", "https://client.example/CB", "https://client.example/cb?x=1", "https://client.example:443/cb ", "cursor://app/cb2"]) {
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
