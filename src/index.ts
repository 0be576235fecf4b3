// The Worker: one stateless fetch handler. Routes live here; everything else is one file per concern.
import { ConfigError, readConfig, type Env } from "./config.js";
import { homePage } from "./pages/home.js";
import { handleMcpRequest } from "./transport/streamable-http.js";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    let config;
    try {
      config = readConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return jsonError(500, error.message);
      throw error;
    }
    const { pathname } = new URL(request.url);
    if (pathname === "/mcp") return handleMcpRequest(request, config);
    if (pathname === "/" && (request.method === "GET" || request.method === "HEAD")) return homePage(request, config);
    return jsonError(404, `Not found: ${pathname}. The MCP endpoint is /mcp.`);
  },
} satisfies ExportedHandler<Env>;

function jsonError(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}
