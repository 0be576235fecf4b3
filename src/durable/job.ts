// What a durable call runs: a tool, exactly as the stateless path runs it, with its progress and
// answer text going to the call's state instead of to a client.
import type { Config } from "../config.js";
import type { Progress } from "../tools/tool.js";
import { findTool } from "../tools/index.js";
import type { CallOrder, ToolResult } from "./task.js";

export interface JobContext {
  config: Config;
  signal: AbortSignal;
  progress: Progress & { append(text: string): void };
}

/** Runs the order's tool to its result; a refusal of the key becomes a tool error, as there is no one to send a 401 to. */
export async function runJob(order: CallOrder, { config, signal, progress }: JobContext): Promise<ToolResult> {
  const tool = findTool(order.tool);
  if (!tool) return toolError(`Unknown tool: ${order.tool}.`);
  const started = await tool.call(order.arguments, { config, key: order.key, origin: order.origin, signal });
  switch (started.kind) {
    case "result":
      return started.result;
    case "unauthorized":
      return toolError("OpenRouter rejected the API key. Log in again, then start the call again.");
    case "stream":
      return await started.relay(progress);
  }
}

function toolError(text: string): ToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
