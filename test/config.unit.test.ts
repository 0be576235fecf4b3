// Unit tests of src/config.ts: the auth policy derived once from the Worker's variables, and the
// combinations refused because one setting would silently undo another.
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../src/config.js";

const SECRET = "q8Vx2mR7tLp4Zk9Wc3Hn6Jb1Ys5Fd0Ga-_uE";

describe("the auth policy", () => {
  it("by default: a key on every request, tokens that are OpenRouter keys, our own authorization server", () => {
    expect(readConfig({}).auth).toEqual({ openDiscovery: false, sealedTokens: undefined, outsideIssuer: undefined });
  });

  it("with TOKEN_SECRET: sealed tokens with their lifetimes, raw keys still accepted unless ACCEPT_OPENROUTER_KEYS=false", () => {
    expect(readConfig({ TOKEN_SECRET: SECRET }).auth.sealedTokens).toEqual({
      secret: SECRET,
      accessTokenSeconds: 3600,
      refreshTokenSeconds: 30 * 24 * 3600,
      acceptOpenRouterKeys: true,
    });
    const tuned = {
      TOKEN_SECRET: SECRET,
      ACCESS_TOKEN_TTL_SECONDS: "120",
      REFRESH_TOKEN_TTL_SECONDS: "600",
      ACCEPT_OPENROUTER_KEYS: "false",
    };
    expect(readConfig(tuned).auth.sealedTokens).toEqual({
      secret: SECRET,
      accessTokenSeconds: 120,
      refreshTokenSeconds: 600,
      acceptOpenRouterKeys: false,
    });
  });

  it("names the outside authorization server as an https issuer", () => {
    expect(readConfig({ OAUTH_PROVIDER_HOST: "openrouter.simplerauth.com" }).auth.outsideIssuer).toBe(
      "https://openrouter.simplerauth.com",
    );
    // An outside provider's tokens are OpenRouter keys: with TOKEN_SECRET they are still taken.
    expect(readConfig({ OAUTH_PROVIDER_HOST: "https://auth.example", TOKEN_SECRET: SECRET }).auth).toMatchObject({
      outsideIssuer: "https://auth.example",
      sealedTokens: { acceptOpenRouterKeys: true },
    });
  });

  it("opens discovery with OPEN_DISCOVERY", () => {
    expect(readConfig({ OPEN_DISCOVERY: "true" }).auth.openDiscovery).toBe(true);
    expect(readConfig({ OPEN_DISCOVERY: "false" }).auth.openDiscovery).toBe(false);
    expect(readConfig({}).auth.openDiscovery).toBe(false);
  });
});

describe("the rate limits", () => {
  it("default to 60 sign-in requests an address, 120 tool calls and 600 requests about durable calls a key, a minute", () => {
    expect(readConfig({}).rateLimits).toEqual({ loginPerAddress: 60, toolCallsPerKey: 120, taskRequestsPerKey: 600 });
    expect(readConfig({ RATE_LIMIT_TASK_REQUESTS: "1200" }).rateLimits.taskRequestsPerKey).toBe(1200);
    expect(() => readConfig({ RATE_LIMIT_TASK_REQUESTS: "0" })).toThrow(
      /RATE_LIMIT_TASK_REQUESTS: must be a positive whole number/,
    );
  });
});

describe("contradictory settings are refused, naming them", () => {
  const refusal = (env: Record<string, string>): string => {
    try {
      readConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).not.toContain(SECRET);
      return message;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  };

  it("OAUTH_PROVIDER_HOST with TOKEN_SECRET and ACCEPT_OPENROUTER_KEYS=false, which would refuse every token", () => {
    const message = refusal({
      OAUTH_PROVIDER_HOST: "openrouter.simplerauth.com",
      TOKEN_SECRET: SECRET,
      ACCEPT_OPENROUTER_KEYS: "false",
    });
    for (const name of ["OAUTH_PROVIDER_HOST", "TOKEN_SECRET", "ACCEPT_OPENROUTER_KEYS"])
      expect(message).toContain(name);
    expect(message).toContain("no token would ever be accepted");
  });

  it.each(["ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS"])(
    "%s without TOKEN_SECRET, which would be ignored",
    (name) => {
      expect(refusal({ [name]: "600" })).toBe(
        `Invalid Worker variable ${name}: it sets the lifetime of tokens sealed with TOKEN_SECRET, which is not set. Set TOKEN_SECRET too, or remove ${name}.`,
      );
    },
  );

  it("ACCEPT_OPENROUTER_KEYS=false without TOKEN_SECRET", () => {
    expect(refusal({ ACCEPT_OPENROUTER_KEYS: "false" })).toMatch(/ACCEPT_OPENROUTER_KEYS: false needs TOKEN_SECRET/);
  });
});
