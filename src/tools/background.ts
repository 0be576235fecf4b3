// Background completions, for hosts that do not speak MCP Tasks (Claude.ai, Claude Desktop,
// Cursor, ChatGPT): chat_completion with background: true starts a durable call and answers at
// once with its id; get_completion waits for it. Both answer in chat_completion's result shape,
// with `completion` saying how the call stands.
import type { StartOutcome } from "../durable/calls.js";
import type { TaskSnapshot, TaskStatus } from "../durable/task.js";
import { MAX_WAIT_SECONDS } from "./get-completion-schemas.js";
import { errorResult } from "./results.js";
import type { CallToolResult } from "../tool-result.js";

/**
 * What chat_completion with background: true answers once the call's start is known: its id and
 * how to wait for it, or why it did not start.
 */
export function backgroundStarted(started: StartOutcome, model: string): CallToolResult {
  if (!started.ok) {
    return errorResult(
      `This key already has ${started.working} background calls working, the most this server allows at once (${started.limit}). ` +
        "Wait for one to finish (get_completion), or cancel one, then start this one again.",
    );
  }
  const id = started.snapshot.taskId;
  const text =
    `Started in the background as completion ${id} (${model}). The answer is not here yet: call get_completion with ` +
    `{"id": "${id}"} to wait for it (each call waits up to ${MAX_WAIT_SECONDS} s; call again while it is still working). ` +
    "get_completion can also cancel it.";
  return { content: [{ type: "text", text }], structuredContent: shapeOf(started.snapshot, "", model) };
}

/**
 * get_completion's answer for a call as it stands: the final result once it has ended (what
 * chat_completion would have answered), else its status and the text so far.
 */
export function completionResult(snapshot: TaskSnapshot, cancelledNow: boolean): CallToolResult {
  const outcome = snapshot.outcome;
  const completion = describeCompletion(snapshot);
  if (outcome?.kind === "result") {
    const result = outcome.result;
    return { ...result, structuredContent: { ...result.structuredContent, completion } };
  }
  const model = snapshot.model ?? "the model";
  const partial =
    snapshot.partial ?? (outcome?.kind === "failed" && outcome.text ? { text: outcome.text, tokens: 0 } : undefined);
  const soFar = partial?.text ?? "";
  const structuredContent = shapeOf(snapshot, soFar, model);
  switch (snapshot.status) {
    case "working":
      return {
        content: [
          {
            type: "text",
            text: `Still working: ${snapshot.statusMessage}. Call get_completion again with {"id": "${snapshot.taskId}"} to keep waiting.`,
          },
          ...(soFar === "" ? [] : [{ type: "text" as const, text: `The answer so far:\n${soFar}` }]),
        ],
        structuredContent,
      };
    case "cancelled":
      return {
        content: [
          {
            type: "text",
            text: cancelledNow
              ? `Cancelled completion ${snapshot.taskId}: OpenRouter was told to stop.`
              : `Completion ${snapshot.taskId} was cancelled.`,
          },
          ...(soFar === "" ? [] : [{ type: "text" as const, text: `The answer until then:\n${soFar}` }]),
        ],
        structuredContent,
        isError: true,
      };
    default:
      return {
        content: [
          { type: "text", text: snapshot.statusMessage },
          ...(soFar === "" ? [] : [{ type: "text" as const, text: `The answer until then:\n${soFar}` }]),
        ],
        structuredContent,
        isError: true,
      };
  }
}

function describeCompletion(snapshot: TaskSnapshot): { id: string; status: TaskStatus; status_message: string } {
  return { id: snapshot.taskId, status: snapshot.status, status_message: snapshot.statusMessage };
}

/** chat_completion's structured result for a call without its final answer: the text so far and zero usage. */
function shapeOf(snapshot: TaskSnapshot, text: string, model: string): Record<string, unknown> {
  const tokens = snapshot.partial?.tokens ?? 0;
  return {
    text,
    model,
    finish_reason: null,
    usage: { prompt_tokens: 0, completion_tokens: tokens, total_tokens: tokens },
    completion: describeCompletion(snapshot),
  };
}
