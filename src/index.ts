// The Worker: one stateless fetch handler. Routes live here; everything else is one file per concern.
import { handleAuthorize } from "./auth/authorize.js";
import { handleCallback } from "./auth/callback.js";
import { browserSession, handleLogin, handleLoginCallback, handleLogout, sessionKey } from "./auth/browser-login.js";
import { loginRateLimited } from "./auth/login-limit.js";
import { authorizationServerMetadata, protectedResourceMetadata, providerElsewhere } from "./auth/metadata.js";
import { handleRegister } from "./auth/register.js";
import { handleToken } from "./auth/token.js";
import { systemClock } from "./clock.js";
import { ConfigError, readConfig, type Config, type WorkerContext } from "./config.js";
import { jsonErrorResponse, urlOf } from "./http.js";
import { DurableCallObject, type JobContext } from "./durable/durable-call.js";
import type { CallOrder } from "./durable/task.js";
import type { CallToolResult } from "./tool-result.js";
import { runDurableCall } from "./mcp/tool-call.js";
import { homePage } from "./pages/home.js";
import { handleMcpRequest } from "./transport/streamable-http.js";

// The Durable Objects wrangler.toml declares (the main module exports them): a call's object
// runs the tools, which only this top layer may join to it.
export class DurableCall extends DurableCallObject {
  protected override runJob(order: CallOrder, context: JobContext): Promise<CallToolResult> {
    return runDurableCall(order, context);
  }
}
export { TaskLedger } from "./durable/task-ledger.js";

type Route = (request: Request, config: Config, worker: WorkerContext) => Response | Promise<Response>;

const routes: Record<string, Route> = {
  "/mcp": handleMcpRequest,
  "/.well-known/oauth-protected-resource": protectedResourceMetadata,
  "/.well-known/oauth-protected-resource/mcp": protectedResourceMetadata,
  "/.well-known/oauth-authorization-server": authorizationServerMetadata,
  "/.well-known/openid-configuration": authorizationServerMetadata,
  "/login": handleLogin,
  "/login/callback": handleLoginCallback,
  "/logout": handleLogout,
};

/**
 * Our own authorization server, and OpenRouter's answer to a login approved on its consent page
 * (/callback/<tx>): limited per client address, and stepping aside when OAUTH_PROVIDER_HOST
 * names another server.
 */
const authorizationServerRoutes: Record<string, Route> = {
  "/register": handleRegister,
  "/authorize": handleAuthorize,
  "/token": handleToken,
};
const CALLBACK_PREFIX = "/callback/";

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let config;
    try {
      config = readConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return jsonErrorResponse(500, "server_error", error.message);
      throw error;
    }
    const { pathname } = urlOf(request);
    const route = routes[pathname];
    const worker: WorkerContext = { env, waitUntil: (promise) => ctx.waitUntil(promise), clock: systemClock };
    if (route) {
      // The browser login's callback exchanges a code at OpenRouter, as /token does, and /login asks
      // OpenRouter about the key a session cookie holds: limited alike.
      const asksOpenRouter =
        pathname === "/login/callback" ||
        (pathname === "/login" && (await sessionKey(request, config, worker.clock)) !== undefined);
      const limited = asksOpenRouter ? await loginRateLimited(request, config, env) : undefined;
      return limited ?? route(request, config, worker);
    }
    const provider = config.auth.outsideIssuer;
    const callback = pathname.startsWith(CALLBACK_PREFIX);
    const ownAuthorization = authorizationServerRoutes[pathname];
    if (ownAuthorization || callback) {
      if (provider !== undefined) return providerElsewhere(request, provider);
      const limited = await loginRateLimited(request, config, env);
      if (limited) return limited;
      return ownAuthorization
        ? ownAuthorization(request, config, worker)
        : handleCallback(request, pathname.slice(CALLBACK_PREFIX.length), worker);
    }
    if (pathname === "/" && (request.method === "GET" || request.method === "HEAD")) {
      // Logged in, the page asks OpenRouter about the session's key (its details): limited as /login
      // is, so cookies with ever new made-up keys cannot each become a request upstream.
      const session = await browserSession(request, config, worker.clock);
      const limited = session.key === undefined ? undefined : await loginRateLimited(request, config, env);
      return limited ?? homePage(request, config, session);
    }
    return jsonErrorResponse(404, "not_found", `Not found: ${pathname}. The MCP endpoint is /mcp.`);
  },
} satisfies ExportedHandler<Env>;
