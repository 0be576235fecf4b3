// TOKEN_SECRET as config.ts reads it (with src/secret-strength.ts): a secret that is too short,
// has spaces or is plainly not random answers 500 naming the variable and how to make one, never
// the value; so do the variables that go with it.
import { describe, expect, it } from "vitest";
import { post, rpc } from "./support/http.js";
import { newSecret } from "./support/sealed-tokens.js";
import { startWorker } from "./support/worker.js";

const SECRET = newSecret();

describe("a TOKEN_SECRET that is too short or malformed", () => {
  it.each([
    ["too short", "s3cr3t-but-only-24-chars"],
    ["with spaces", "correct horse battery staple and more words"],
    ["one repeated character", "x".repeat(40)],
    ["a repeated block", "password1234password1234password1234"],
    ["few distinct characters", `${"a".repeat(39)}b`],
    ["a numbered word", "secret01secret02secret03secret04"],
    ["a run", "abcdefghijklmnopqrstuvwxyzABCDEF0123"],
  ])("fails loudly naming TOKEN_SECRET and how to make one, never echoing it (%s)", async (_, value) => {
    const bad = await startWorker({ TOKEN_SECRET: value });
    try {
      for (const path of ["/mcp", "/token", "/"]) {
        const res = await fetch(`${bad.origin}${path}`, { method: path === "/" ? "GET" : "POST" });
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(text).toContain("TOKEN_SECRET");
        expect(text).toContain("openssl rand -base64 32");
        expect(text).not.toContain(value);
      }
      expect(bad.logs().join("\n")).not.toContain(value);
    } finally {
      await bad.dispose();
    }
  });

  it.each([
    [{ ACCEPT_OPENROUTER_KEYS: "false" }, /ACCEPT_OPENROUTER_KEYS.*TOKEN_SECRET/],
    [{ ACCEPT_OPENROUTER_KEYS: "nope", TOKEN_SECRET: SECRET }, /ACCEPT_OPENROUTER_KEYS/],
    [{ ACCESS_TOKEN_TTL_SECONDS: "an hour", TOKEN_SECRET: SECRET }, /ACCESS_TOKEN_TTL_SECONDS/],
    [{ REFRESH_TOKEN_TTL_SECONDS: "0", TOKEN_SECRET: SECRET }, /REFRESH_TOKEN_TTL_SECONDS/],
  ])("so do the variables that go with it: %j", async (vars, expected) => {
    const bad = await startWorker(vars);
    try {
      const res = await post(bad.mcpUrl, rpc(1, "ping"));
      expect(res.status).toBe(500);
      const error = ((await res.json()) as { error_description: string }).error_description;
      expect(error).toMatch(expected);
      expect(error).not.toContain(SECRET);
    } finally {
      await bad.dispose();
    }
  });
});
