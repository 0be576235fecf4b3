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
 * Why a durable call did not start: the key has as many working as it may. Tasks and background
 * calls count together (MAX_TASKS_PER_KEY), so the words name both, whichever was refused.
 */
export function tooManyWorking(working: number, limit: number): string {
  return (
    `This key already has ${working} tasks and background calls working, the most this server allows at once (${limit}). ` +
    "Wait for one to finish, or cancel one (tasks/cancel, or get_completion with cancel: true), then start this one again."
  );
}

/**
 * What chat_completion with background: true answers once the call's start is known: its id and
 * how to wait for it, or why it did not start.
 */
export function backgroundStarted(started: StartOutcome, model: string): CallToolResult {
  if (!started.ok) return errorResult(tooManyWorking(started.working, started.limit));
  const id = started.snapshot.taskId;
  const text =
    `Started in the background as completion ${id} (${model}). The answer is not here yet: call get_completion with ` +
    `{"id": "${id}"} to wait for it (each call waits up to ${MAX_WAIT_SECONDS} s; call again while it is still working). ` +
    "get_completion can also cancel it.";
  return {
    content: [{ type: "text", text }],
    structuredContent: completionResult(started.snapshot, false).structuredContent,
  };
}

/**
 * get_completion's answer for a call as it stands: the final result once it has ended (what
 * chat_completion would have answered), else its status and the text so far (for a cancelled or
 * lost call, the text written until it ended).
 */
export function completionResult(snapshot: TaskSnapshot, cancelledNow: boolean): CallToolResult {
  const outcome = snapshot.outcome;
  if (outcome?.kind === "result") {
    const result = outcome.result;
    return { ...result, structuredContent: { ...result.structuredContent, completion: describeCompletion(snapshot) } };
  }
  const kept = snapshot.partial ?? outcome?.kept;
  const soFar = kept?.text ?? "";
  const structuredContent = {
    text: soFar,
    model: snapshot.model,
    finish_reason: null,
    usage: { prompt_tokens: 0, completion_tokens: kept?.tokens ?? 0, total_tokens: kept?.tokens ?? 0 },
    ...(kept?.cut ? { truncated: true } : {}),
    completion: describeCompletion(snapshot),
  };
  const shown = (heading: string): CallToolResult["content"] =>
    soFar === ""
      ? []
      : [
          {
            type: "text",
            text: `${heading}${kept?.cut ? ` (its first ${soFar.length.toLocaleString("en-US")} characters: a durable call keeps no more)` : ""}:\n${soFar}`,
          },
        ];
  switch (snapshot.status) {
    case "working":
      return {
        content: [
          {
            type: "text",
            text: `Still working: ${snapshot.statusMessage}. Call get_completion again with {"id": "${snapshot.taskId}"} to keep waiting.`,
          },
          ...shown("The answer so far"),
        ],
        structuredContent,
      };
    case "cancelled": {
      const said = cancelledNow
        ? `Cancelled completion ${snapshot.taskId}: OpenRouter was told to stop.`
        : `Completion ${snapshot.taskId} was cancelled: ${snapshot.statusMessage}`;
      return {
        content: [{ type: "text", text: said }, ...shown("The answer until then")],
        structuredContent,
        isError: true,
      };
    }
    default:
      return {
        content: [{ type: "text", text: snapshot.statusMessage }, ...shown("The answer until then")],
        structuredContent,
        isError: true,
      };
  }
}

function describeCompletion(snapshot: TaskSnapshot): { id: string; status: TaskStatus; status_message: string } {
  return { id: snapshot.taskId, status: snapshot.status, status_message: snapshot.statusMessage };
}
