// What one /mcp request may ask to be answered, checked before any of it is worked on: each
// message counts for the most its answer may take, so that a small request can never ask for a
// large answer. Batches also hold at most MAX_BATCH_MEMBERS messages (jsonrpc.ts); a streamed
// answer is bounded as it goes (transport/response-stream.ts).
import type { Config } from "../config.js";
import { findTool, toolListJson } from "../tools/index.js";
import { SHORT_ANSWER_BYTES } from "../tools/tool.js";
import type { IncomingMessage } from "./jsonrpc.js";
import { TASK_BYTES, TASKS_LIST_PAGE } from "./tasks.js";

/** The most one /mcp request may ask to be answered, by answerBytesEstimate. */
export const MAX_ANSWER_BYTES = 128 * 1024;

/** initialize and server/discover answer about 1 KB: versions, capabilities, server info, instructions. */
const SERVER_DESCRIPTION_ESTIMATE = 2 * 1024;

/**
 * About the most a message's answer takes, from its method (and for a tool call, what the tool
 * declares). A message that could take the whole budget is answered alone, never in a batch.
 */
export function answerBytesEstimate(message: IncomingMessage, config: Config): number {
  if (message.kind === "notification" || message.kind === "response") return 0;
  const envelope = 64 + String(message.id ?? "").length;
  if (message.kind === "invalid") return envelope + message.error.message.length;
  const estimate = (answer: number) => Math.min(envelope + answer, MAX_ANSWER_BYTES);
  switch (message.method) {
    case "tools/list":
      return estimate(toolListJson(config, { taskSupport: true, apps: true }).length + 512);
    // A stored result may hold a megabyte of images and costs nothing to read again.
    case "tasks/result":
      return MAX_ANSWER_BYTES;
    // The MCP Apps view (some 700 KB) or a kept image (up to 10 MB): each is answered alone, as a
    // stored result is, whatever its size (the budget bounds what a request may ask, not one answer).
    case "resources/read":
      return MAX_ANSWER_BYTES;
    case "tools/call": {
      const name = message.params?.name;
      const tool = typeof name === "string" ? findTool(name) : undefined;
      return estimate(tool?.policy.answerBytes ?? SHORT_ANSWER_BYTES);
    }
    case "tasks/get":
      return estimate(TASK_BYTES);
    // A page as full as it can be.
    case "tasks/list":
      return estimate(TASKS_LIST_PAGE * TASK_BYTES);
    case "initialize":
    case "server/discover":
      return estimate(SERVER_DESCRIPTION_ESTIMATE);
    default:
      return estimate(256);
  }
}
