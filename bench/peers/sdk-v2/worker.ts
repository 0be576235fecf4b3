// The peer a user would pick today: the same tool served by the MCP SDK v2 server
// (`@modelcontextprotocol/server`): one McpServer factory behind `createMcpHandler`, which serves
// the 2026-07-28 era and, statelessly, the 2025 era, as its documentation shows for Workers.
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";

function createServer(): McpServer {
  const server = new McpServer(
    { name: "sdk-v2-peer", version: "1.0.0" },
    { instructions: "Call chat_completion with a prompt." },
  );
  server.registerTool(
    "chat_completion",
    {
      title: "Chat completion (OpenRouter)",
      description: "Send a prompt to any model on OpenRouter and return its answer.",
      inputSchema: z.object({
        prompt: z.string().min(1).describe("The message to send to the model."),
        model: z.string().optional().describe("OpenRouter model id."),
        system: z.string().optional(),
        max_tokens: z.number().int().positive().optional(),
        temperature: z.number().min(0).max(2).optional(),
      }),
      outputSchema: z.object({
        text: z.string(),
        model: z.string(),
        finish_reason: z.string().nullable(),
        usage: z.object({
          prompt_tokens: z.number(),
          completion_tokens: z.number(),
          total_tokens: z.number(),
          cost: z.number().optional(),
        }),
      }),
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
  return server;
}

const handler = createMcpHandler(createServer);

export default {
  fetch: (request: Request) => handler.fetch(request),
};
