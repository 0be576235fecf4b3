// The v1 peer: the same tool served by the MCP SDK v1 (McpServer with its web-standard
// Streamable HTTP transport), stateless, as its documentation shows for Workers.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import * as z from "zod";

export default {
  async fetch(request: Request): Promise<Response> {
    const server = new McpServer(
      { name: "sdk-peer", version: "1.0.0" },
      { instructions: "Call chat_completion with a prompt." },
    );
    server.registerTool(
      "chat_completion",
      {
        title: "Chat completion (OpenRouter)",
        description: "Send a prompt to any model on OpenRouter and return its answer.",
        inputSchema: {
          prompt: z.string().min(1).describe("The message to send to the model."),
          model: z.string().optional().describe("OpenRouter model id."),
          system: z.string().optional(),
          max_tokens: z.number().int().positive().optional(),
          temperature: z.number().min(0).max(2).optional(),
        },
        outputSchema: {
          text: z.string(),
          model: z.string(),
          finish_reason: z.string().nullable(),
          usage: z.object({
            prompt_tokens: z.number(),
            completion_tokens: z.number(),
            total_tokens: z.number(),
            cost: z.number().optional(),
          }),
        },
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
      async () => ({
        content: [{ type: "text", text: "" }],
        structuredContent: {
          text: "",
          model: "m",
          finish_reason: "stop",
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        },
      }),
    );
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    return transport.handleRequest(request);
  },
};
