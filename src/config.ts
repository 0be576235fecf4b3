// Worker configuration: every variable is optional and has a default, so a bare
// `wrangler deploy` works. A bad value fails loudly, naming the variable. Every setting, its
// default, its check and the auth policy derived from them read in one place, the one an
// operator's question starts from.
import * as z from "zod/mini";
import type { Clock } from "./clock.js";
import { secretStrengthProblem } from "./secret-strength.js";
import { trimTrailing } from "./text.js";

/** The model used when a call names none. Must be one OpenRouter serves today. */
const BUILTIN_DEFAULT_MODEL = "anthropic/claude-haiku-4.5";

export interface Config {
  openRouterBaseUrl: string;
  openRouterAuthUrl: string;
  defaultModel: string;
  /** Extra browser origins allowed to call /mcp besides same-origin. */
  allowedOrigins: readonly string[];
  progressIntervalMs: number;
  /** The most silence between two progress notifications while a call lives (mcp/progress.ts). */
  progressHeartbeatMs: number;
  keepaliveIntervalMs: number;
  upstreamIdleTimeoutMs: number;
  /** Who may call, and with what: derived once, here, and read everywhere else. */
  auth: AuthPolicy;
  /** Durable calls: MCP Tasks and background completions (src/durable/). */
  tasks: TaskSettings;
  /** Per minute, counted by the Rate Limiting binding (src/rate-limits.ts). */
  rateLimits: { loginPerAddress: number; toolCallsPerKey: number; taskRequestsPerKey: number };
}

interface TaskSettings {
  /**
   * TASK_WINDOW_MS: under 2026-07-28, how long a call from a client that declared the Tasks
   * extension streams as usual before it is answered as a task instead.
   */
  windowMs: number;
  /** TASK_RETENTION_SECONDS: how long a task and its result are kept once the call has ended. */
  retentionMs: number;
  /** MAX_TASKS_PER_KEY: how many durable calls one OpenRouter key may have working at once. */
  maxWorkingPerKey: number;
}

/**
 * The auth mode, from OPEN_DISCOVERY, TOKEN_SECRET (and the variables that only mean something
 * with it) and OAUTH_PROVIDER_HOST. Settings that contradict each other are refused by
 * readConfig, naming them, rather than one of them silently ignored.
 */
interface AuthPolicy {
  /**
   * OPEN_DISCOVERY: initialize, server/discover, ping, tools/list and list_models answer without
   * a key. Off (the default), every /mcp request needs a key, checked with OpenRouter: most hosts
   * log in only when connecting is refused.
   */
  openDiscovery: boolean;
  /**
   * TOKEN_SECRET's tokens: /token issues sealed tokens (auth/sealed.ts) instead of handing out the
   * OpenRouter key, and the browser session cookie is sealed too. Undefined: the bearer token is
   * the OpenRouter key itself.
   */
  sealedTokens: SealedTokens | undefined;
  /**
   * OAUTH_PROVIDER_HOST's issuer (https origin): an outside OAuth provider whose tokens are
   * OpenRouter keys; our metadata names it and our own authorization server steps aside.
   * Undefined: this Worker is its own authorization server.
   */
  outsideIssuer: string | undefined;
}

export interface SealedTokens {
  /** Never logged or echoed. */
  secret: string;
  accessTokenSeconds: number;
  /** How long a login lasts through refreshes. */
  refreshTokenSeconds: number;
  /** Whether an OpenRouter key sent directly as the bearer token is still accepted. */
  acceptOpenRouterKeys: boolean;
}

/** What a route gets of the Worker besides its config: the bindings, a way to finish work after answering, and the time. */
export interface WorkerContext {
  /** The bindings wrangler.toml declares, as `wrangler types` writes them (worker-configuration.d.ts). */
  env: Env;
  /** Keeps the invocation alive until the promise settles, even after the client has gone. */
  waitUntil(promise: Promise<unknown>): void;
  /** systemClock in the Worker; unit tests pass a fake one to move time (token expiry, say). */
  clock: Clock;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const httpUrl = z.string().check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      // Not a URL.
      return false;
    }
  }, "must be an absolute http(s) URL"),
);

const wholeNumberOf = (unit: string) =>
  z
    .pipe(
      z.union([z.number(), z.string().check(z.regex(/^\s*\d+\s*$/, `must be a whole number of ${unit}`))]),
      z.transform((value) => Number(value)),
    )
    .check(z.refine((n) => Number.isSafeInteger(n) && n > 0, `must be a positive whole number of ${unit}`));
const milliseconds = wholeNumberOf("milliseconds");
const seconds = wholeNumberOf("seconds");

const flag = z.pipe(
  z.union([z.boolean(), z.string().check(z.regex(/^\s*(?:true|false|1|0)\s*$/i, 'must be "true" or "false"'))]),
  z.transform((value) => value === true || (typeof value === "string" && /^\s*(?:true|1)\s*$/i.test(value))),
);

/** The value of each variable that has a default, when it is unset. */
const DEFAULTS = {
  OPENROUTER_BASE_URL: "https://openrouter.ai/api/v1",
  OPENROUTER_AUTH_URL: "https://openrouter.ai/auth",
  DEFAULT_MODEL: BUILTIN_DEFAULT_MODEL,
  ALLOWED_ORIGINS: "",
  PROGRESS_INTERVAL_MS: 100,
  // Under the 20 s that keeps every host we know of waiting (Claude Code gives up after 5 minutes
  // without progress, SDK clients after 60 s), with room for a late timer.
  PROGRESS_HEARTBEAT_MS: 15_000,
  KEEPALIVE_INTERVAL_MS: 15_000,
  UPSTREAM_IDLE_TIMEOUT_MS: 60_000,
  TASK_WINDOW_MS: 5000,
  TASK_RETENTION_SECONDS: 3600,
  MAX_TASKS_PER_KEY: 10,
  RATE_LIMIT_LOGIN: 60,
  RATE_LIMIT_TOOL_CALLS: 120,
  // The tasks/ methods and get_completion, counted apart from tool calls: a client polling each of
  // MAX_TASKS_PER_KEY working tasks every POLL_INTERVAL_MS (10 every 2 s) asks 300 a minute, which
  // must not use up the budget that starts paid calls. Twice that leaves room for tasks/list and
  // a second client, and still refuses a flood past 10 a second.
  RATE_LIMIT_TASK_REQUESTS: 600,
};

const envSchema = z.object({
  OPENROUTER_BASE_URL: httpUrl,
  OPENROUTER_AUTH_URL: httpUrl,
  DEFAULT_MODEL: z.string().check(z.regex(/^[\w.:~-]+\/[\w.:~-]+$/, 'must look like "vendor/model"')),
  ALLOWED_ORIGINS: z.string(),
  PROGRESS_INTERVAL_MS: milliseconds,
  PROGRESS_HEARTBEAT_MS: milliseconds,
  KEEPALIVE_INTERVAL_MS: milliseconds,
  UPSTREAM_IDLE_TIMEOUT_MS: milliseconds,
  TASK_WINDOW_MS: milliseconds,
  TASK_RETENTION_SECONDS: seconds,
  MAX_TASKS_PER_KEY: wholeNumberOf("tasks"),
  RATE_LIMIT_LOGIN: wholeNumberOf("requests a minute"),
  RATE_LIMIT_TOOL_CALLS: wholeNumberOf("tool calls a minute"),
  RATE_LIMIT_TASK_REQUESTS: wholeNumberOf("requests a minute"),
  OPEN_DISCOVERY: z.optional(flag),
  // The message never repeats the value: it is a secret.
  TOKEN_SECRET: z.optional(
    z.string().check(
      z.refine((value) => secretStrengthProblem(value) === undefined, {
        error: ({ input }) => secretStrengthProblem(String(input)),
      }),
    ),
  ),
  ACCESS_TOKEN_TTL_SECONDS: z.optional(seconds),
  REFRESH_TOKEN_TTL_SECONDS: z.optional(seconds),
  ACCEPT_OPENROUTER_KEYS: z.optional(flag),
  OAUTH_PROVIDER_HOST: z.optional(
    z
      .string()
      .check(
        z.refine(
          (value) => providerIssuer(value) !== undefined,
          'must be a host name like "openrouter.simplerauth.com" (or its https:// origin)',
        ),
      ),
  ),
});

const cache = new WeakMap<object, Config>();

/**
 * Reads and validates the Worker's vars; the result is cached per env object. Any object will do:
 * the vars are untrusted strings (or TOML's numbers and booleans) until the schema has read them,
 * and the bindings beside them are not looked at.
 */
export function readConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  // Empty strings mean "unset": `wrangler dev --var NAME:` should not break anything. A default
  // is parsed as the variable would be (z._default would hand it over as it is).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "" && v !== undefined));
  const parsed = z.safeParse(envSchema, { ...DEFAULTS, ...present });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "configuration");
    throw new ConfigError(`Invalid Worker variable ${name}: ${issue?.message ?? "invalid value"}`);
  }
  const vars = parsed.data;
  const allowedOrigins = vars.ALLOWED_ORIGINS.split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (!isOrigin(origin)) {
      throw new ConfigError(
        `Invalid Worker variable ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example.com`,
      );
    }
  }
  const config: Config = {
    openRouterBaseUrl: trimTrailing(vars.OPENROUTER_BASE_URL, "/"),
    openRouterAuthUrl: vars.OPENROUTER_AUTH_URL,
    defaultModel: vars.DEFAULT_MODEL,
    allowedOrigins,
    progressIntervalMs: vars.PROGRESS_INTERVAL_MS,
    progressHeartbeatMs: vars.PROGRESS_HEARTBEAT_MS,
    keepaliveIntervalMs: vars.KEEPALIVE_INTERVAL_MS,
    upstreamIdleTimeoutMs: vars.UPSTREAM_IDLE_TIMEOUT_MS,
    auth: authPolicy(vars),
    tasks: {
      windowMs: vars.TASK_WINDOW_MS,
      retentionMs: vars.TASK_RETENTION_SECONDS * 1000,
      maxWorkingPerKey: vars.MAX_TASKS_PER_KEY,
    },
    rateLimits: {
      loginPerAddress: vars.RATE_LIMIT_LOGIN,
      toolCallsPerKey: vars.RATE_LIMIT_TOOL_CALLS,
      taskRequestsPerKey: vars.RATE_LIMIT_TASK_REQUESTS,
    },
  };
  cache.set(env, config);
  return config;
}

function authPolicy(vars: z.output<typeof envSchema>): AuthPolicy {
  const secret = vars.TOKEN_SECRET;
  if (secret === undefined) {
    for (const name of ["ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS"] as const) {
      if (vars[name] !== undefined) {
        throw new ConfigError(
          `Invalid Worker variable ${name}: it sets the lifetime of tokens sealed with TOKEN_SECRET, which is not set. Set TOKEN_SECRET too, or remove ${name}.`,
        );
      }
    }
    if (vars.ACCEPT_OPENROUTER_KEYS === false) {
      throw new ConfigError(
        "Invalid Worker variable ACCEPT_OPENROUTER_KEYS: false needs TOKEN_SECRET (without it, tokens are OpenRouter keys)",
      );
    }
  }
  const outsideIssuer = vars.OAUTH_PROVIDER_HOST === undefined ? undefined : providerIssuer(vars.OAUTH_PROVIDER_HOST);
  if (outsideIssuer !== undefined && secret !== undefined && vars.ACCEPT_OPENROUTER_KEYS === false) {
    throw new ConfigError(
      "Invalid Worker variables OAUTH_PROVIDER_HOST, TOKEN_SECRET and ACCEPT_OPENROUTER_KEYS=false together: the provider at " +
        "OAUTH_PROVIDER_HOST issues OpenRouter keys, which ACCEPT_OPENROUTER_KEYS=false refuses, and this server then issues no tokens " +
        "of its own, so no token would ever be accepted. Remove ACCEPT_OPENROUTER_KEYS or OAUTH_PROVIDER_HOST.",
    );
  }
  return {
    openDiscovery: vars.OPEN_DISCOVERY ?? false,
    sealedTokens:
      secret === undefined
        ? undefined
        : {
            secret,
            accessTokenSeconds: vars.ACCESS_TOKEN_TTL_SECONDS ?? 3600,
            refreshTokenSeconds: vars.REFRESH_TOKEN_TTL_SECONDS ?? 30 * 24 * 3600,
            acceptOpenRouterKeys: vars.ACCEPT_OPENROUTER_KEYS ?? true,
          },
    outsideIssuer,
  };
}

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    // Not a URL.
    return false;
  }
}

/** The issuer URL (https origin) of OAUTH_PROVIDER_HOST, given as a host[:port] or an https origin. */
function providerIssuer(value: string): string | undefined {
  const trimmed = trimTrailing(value.trim(), "/");
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(candidate);
    if (url.protocol !== "https:" || url.origin !== candidate.toLowerCase() || url.hostname === "") return undefined;
    return url.origin;
  } catch {
    // Not a URL.
    return undefined;
  }
}
