// What a durable call runs (src/durable/durable-call.ts): a tool, exactly as the stateless path
// runs it, with its progress and the answer's text going to the call's state instead of a client.
import type { JobContext } from "../durable/durable-call.js";
import type { CallOrder, ToolResult } from "../durable/task.js";
import { findTool } from "./index.js";
import { errorResult } from "./results.js";

/** Runs the order's tool to its result; a refused key becomes a tool error, as no one waits for a 401. */
export async function runToolJob(order: CallOrder, { config, signal, progress }: JobContext): Promise<ToolResult> {
  const tool = findTool(order.tool);
  if (!tool) return errorResult(`Unknown tool: ${order.tool}.`);
  const started = await tool.call(order.arguments, { config, key: order.key, origin: order.origin, signal, onText: (text) => progress.append(text) });
  switch (started.kind) {
    case "result":
      return started.result;
    case "unauthorized":
      return errorResult("OpenRouter rejected the API key. Log in again, then start the call again.");
    case "stream":
      return await started.relay(progress);
  }
}
