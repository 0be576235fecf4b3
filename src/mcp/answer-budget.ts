// What one /mcp request may ask to be answered, checked before any of it is worked on: 3,000
// tools/list in a 141 KB batch once answered 18.6 MB. Batches also hold at most MAX_BATCH_MEMBERS
// messages (jsonrpc.ts); a streamed answer is bounded as it goes (transport/response-stream.ts).
import type { Config } from "../config.js";
import { toolListJson } from "../tools/index.js";
import type { IncomingMessage } from "./jsonrpc.js";

/** The most one /mcp request may ask to be answered, by answerBytesEstimate. */
export const MAX_ANSWER_BYTES = 128 * 1024;

/**
 * What a tool call's answer counts for: a page of list_models or a short answer. A long answer
 * is what the person pays OpenRouter for, and it streams.
 */
const TOOL_CALL_ESTIMATE = 4 * 1024;

/** initialize and server/discover answer about 1 KB: versions, capabilities, server info, instructions. */
const SERVER_DESCRIPTION_ESTIMATE = 2 * 1024;

/** About how many bytes a message's answer takes, from its method. */
export function answerBytesEstimate(message: IncomingMessage, config: Config): number {
  if (message.kind === "notification" || message.kind === "response") return 0;
  const envelope = 64 + String(message.id ?? "").length;
  if (message.kind === "invalid") return envelope + message.error.message.length;
  switch (message.method) {
    case "tools/list":
      return envelope + toolListJson(config, true).length + 512;
    // A stored result may hold a megabyte of images and costs nothing to read again: it takes the
    // whole budget, so it is answered alone, never in a batch (31 of one once made 29.6 MB).
    case "tasks/result":
      return MAX_ANSWER_BYTES;
    case "tools/call":
      return message.params?.name === "get_completion" ? MAX_ANSWER_BYTES : envelope + TOOL_CALL_ESTIMATE;
    case "tasks/get":
      return envelope + TOOL_CALL_ESTIMATE;
    case "initialize":
    case "server/discover":
      return envelope + SERVER_DESCRIPTION_ESTIMATE;
    default:
      return envelope + 256;
  }
}
