// One way to start each client, given the server's MCP URL: the landing page shows these, the demo
// prints them, and the README shows them for an example URL (a test holds the README to them).

export interface ClientSnippet {
  /** Who it is for, e.g. "Cursor". */
  client: string;
  /** Where the snippet goes, or what to do with it. */
  where: string;
  /** The command or the file content; absent when there is nothing to paste but the URL. */
  code?: string;
}

/** An example URL for documents that show the snippets of no server in particular. */
export const EXAMPLE_MCP_URL = "https://openrouter-mcp.example.workers.dev/mcp";

/** The Node MCP Inspector 2 declares in its engines (scripts/inspector.ts checks it; a test holds both to the package). */
export const INSPECTOR_NODE = "22.19";

/** The key the curl snippet names, as a shell variable the person sets first. */
const KEY_VARIABLE = "$OPENROUTER_API_KEY";

export function clientSnippets(mcpUrl: string, key: string = KEY_VARIABLE): ClientSnippet[] {
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    {
      client: "Claude",
      where:
        "In claude.ai or Claude Desktop: Customize → Connectors → Add custom connector, and paste the URL (the mobile apps then have it too). Claude connects from Anthropic's cloud, so it needs a deployed server.",
    },
    {
      client: "Cursor",
      where: "In ~/.cursor/mcp.json (or .cursor/mcp.json in a project):",
      code: json({ mcpServers: { openrouter: { url: mcpUrl } } }),
    },
    {
      client: "VS Code",
      where: "In .vscode/mcp.json:",
      code: json({ servers: { openrouter: { type: "http", url: mcpUrl } } }),
    },
    {
      client: "MCP Inspector",
      where: `In a terminal, with Node ${INSPECTOR_NODE} or later (MCP Inspector 2 needs it: on older Node, npx picks an old Inspector that fails); it opens in your browser:`,
      code: `npx @modelcontextprotocol/inspector --transport http --server-url ${mcpUrl}`,
    },
    {
      client: "Clients that speak only stdio",
      where: "Through mcp-remote, in the client's settings file (for Claude Desktop, claude_desktop_config.json):",
      code: json({ mcpServers: { openrouter: { command: "npx", args: ["-y", "mcp-remote", mcpUrl] } } }),
    },
    {
      client: "curl",
      where: "With an OpenRouter key of your own in OPENROUTER_API_KEY (no login):",
      code: curlCall(mcpUrl, key),
    },
  ];
}

/** One tools/call with curl: the whole answer as one JSON response, ending with a newline. */
export function curlCall(mcpUrl: string, key: string): string {
  const call = {
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "chat_completion", arguments: { prompt: "Say hello" } },
  };
  return `curl -s ${mcpUrl} -w '\\n' \\
  -H "Content-Type: application/json" -H "Accept: application/json" \\
  -H "Authorization: Bearer ${key}" \\
  -d '${JSON.stringify(call)}'`;
}
