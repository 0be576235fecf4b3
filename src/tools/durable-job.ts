// What a durable call runs (src/durable/durable-call.ts): a tool, exactly as the stateless path
// runs it, with its progress and the answer's text going to the call's state instead of a client.
// It logs the call's line from the Durable Object, once: an object runs its call once.
import type { JobContext } from "../durable/durable-call.js";
import type { CallOrder } from "../durable/task.js";
import type { CallToolResult } from "../tool-result.js";
import { CallLog } from "./call-log.js";
import { findTool } from "./index.js";
import { errorResult } from "./results.js";

/** Runs the order's tool to its result; a refused key becomes a tool error, as no one waits for a 401. */
export async function runToolJob(
  order: CallOrder,
  { config, signal, progress, keepImage, clock }: JobContext,
): Promise<CallToolResult> {
  const tool = findTool(order.tool);
  if (!tool) return errorResult(`Unknown tool: ${order.tool}.`);
  const caller = order.caller && { ...order.caller, key: order.owner.slice(0, 8) };
  const log = new CallLog(tool.name, order.arguments, caller, clock, order.background ? "background" : "task");
  try {
    const started = await tool.call(order.arguments, {
      config,
      key: order.key,
      origin: order.origin,
      signal,
      caller,
      onText: (text) => progress.append(text),
      onImage: keepImage,
      clock,
    });
    const result =
      started.kind === "result"
        ? started.result
        : started.kind === "stream"
          ? await started.relay(log.watch(progress))
          : undefined;
    log.end(result ?? "unauthorized", signal);
    return result ?? errorResult("OpenRouter rejected the API key. Log in again, then start the call again.");
  } finally {
    log.end("failed");
  }
}
