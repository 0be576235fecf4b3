// The landing page's way to /mcp: JSON-RPC over fetch, as any client sends it, except that the
// browser's session cookie stands in for a token (/mcp takes it only from this origin's pages:
// src/transport/bearer.ts). A streamed answer (SSE) is read to its JSON-RPC response.

let lastId = 0;

class McpError extends Error {}

export async function mcpRequest(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = ++lastId;
  const response = await fetch("/mcp", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method,
      params: { ...params, _meta: { "io.modelcontextprotocol/clientInfo": { name: "landing-page", version: "1" } } },
    }),
  });
  if (response.status === 401) throw new McpError("Your login has expired: reload the page and log in again.");
  if (!(response.headers.get("Content-Type") ?? "").startsWith("text/event-stream"))
    return resultOf(await response.json(), response.status);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new McpError("The answer broke off: try again.");
    buffer += value;
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const data = buffer
        .slice(0, end)
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5))
        .join("\n");
      buffer = buffer.slice(end + 2);
      const message = data ? (JSON.parse(data) as { id?: unknown }) : undefined;
      if (message?.id === id) {
        void reader.cancel();
        return resultOf(message, response.status);
      }
    }
  }
}

function resultOf(message: unknown, status: number): Record<string, unknown> {
  const { result, error } = message as { result?: Record<string, unknown>; error?: { message: string } };
  if (error) throw new McpError(error.message);
  if (!result) throw new McpError(`The server answered HTTP ${status} without a result.`);
  return result;
}
