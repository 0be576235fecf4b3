// GET /: a short page telling people how to connect.
import type { Config } from "../config.js";

export function homePage(request: Request, config: Config): Response {
  const origin = new URL(request.url).origin;
  const mcpUrl = `${origin}/mcp`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenRouter MCP</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:14px ui-monospace,monospace;background:#f3f3f3;border-radius:4px}
pre{padding:.75rem;overflow-x:auto}code{padding:.1rem .25rem}
</style>
</head>
<body>
<h1>OpenRouter MCP</h1>
<p>An MCP server with one tool, <code>chat_completion</code>: send a prompt to any model on
<a href="https://openrouter.ai/models">OpenRouter</a> and watch the answer stream as progress.
The default model is <code>${escapeHtml(config.defaultModel)}</code>.</p>
<h2>Connect</h2>
<p>MCP endpoint (Streamable HTTP): <code>${escapeHtml(mcpUrl)}</code></p>
<p>Calls are paid with your own OpenRouter key, sent as <code>Authorization: Bearer &lt;key&gt;</code>
(create one at <a href="https://openrouter.ai/settings/keys">openrouter.ai/settings/keys</a>).</p>
<h3>MCP Inspector</h3>
<pre>npx @modelcontextprotocol/inspector --cli ${escapeHtml(mcpUrl)} --transport http \\
  --header "Authorization: Bearer $OPENROUTER_API_KEY" \\
  --method tools/call --tool-name chat_completion --tool-arg prompt="Say hello"</pre>
<p>Or run <code>npx @modelcontextprotocol/inspector</code>, choose <em>Streamable HTTP</em>, enter the URL above,
and add the Authorization header.</p>
<h3>curl</h3>
<pre>curl ${escapeHtml(mcpUrl)} \\
  -H "Content-Type: application/json" -H "Accept: application/json" \\
  -H "Authorization: Bearer $OPENROUTER_API_KEY" \\
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"chat_completion","arguments":{"prompt":"Say hello"}}}'</pre>
<p>Add <code>-H "Accept: text/event-stream"</code> and <code>"_meta":{"progressToken":1}</code> to the params to
watch progress notifications as the answer streams.</p>
</body>
</html>
`;
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
