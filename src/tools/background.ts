// Background completions, for hosts that do not speak MCP Tasks (Claude.ai, Claude Desktop,
// Cursor, ChatGPT): chat_completion with background: true starts a durable call and answers at
// once with its id; get_completion waits for it. Both answer in chat_completion's result shape,
// with `completion` saying how the call stands.
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { ownerOf, startCall, type StartOutcome } from "../durable/calls.js";
import type { DurableBindings } from "../durable/bindings.js";
import type { TaskSnapshot, TaskStatus } from "../durable/task.js";
import type { Caller } from "../trace.js";
import { MAX_WAIT_SECONDS } from "./get-completion-schemas.js";
import { errorResult } from "./results.js";
import type { CallToolResult } from "../tool-result.js";

/** Why a durable call cannot start, in words for the model; undefined when it can. */
export function durableUnavailable(durable: DurableBindings | undefined): CallToolResult | undefined {
  return durable
    ? undefined
    : errorResult(
        "Background completions need the Durable Objects this server's wrangler.toml declares, and this deployment has none. Call again without background.",
      );
}

export interface BackgroundStart {
  durable: DurableBindings;
  config: Config;
  key: string;
  origin: string;
  tool: string;
  /** The arguments the call runs with (background itself left out). */
  arguments: unknown;
  model: string;
  progressToken?: string | number;
  /** Who asked: the call's object logs it with the call. */
  caller?: Caller | undefined;
  /** Started by chat_completion's background argument, not as an MCP task. */
  background?: true;
  /** The task's creation time is read from it. */
  clock: Clock;
}

/** Starts the call durably; the result tells the model what to do next. */
export async function startBackground(start: BackgroundStart): Promise<CallToolResult> {
  const started = await startDurable({ ...start, background: true });
  if (!started.started) {
    return errorResult(
      `This key already has ${started.working} background calls working, the most this server allows at once (${started.limit}). ` +
        "Wait for one to finish (get_completion), or cancel one, then start this one again.",
    );
  }
  const id = started.snapshot.taskId;
  const text =
    `Started in the background as completion ${id} (${start.model}). The answer is not here yet: call get_completion with ` +
    `{"id": "${id}"} to wait for it (each call waits up to ${MAX_WAIT_SECONDS} s; call again while it is still working). ` +
    "get_completion can also cancel it.";
  return { content: [{ type: "text", text }], structuredContent: shapeOf(started.snapshot, "", start.model) };
}

/** Starts a durable call running `start.tool` (a background completion, or an MCP task). */
export async function startDurable(start: BackgroundStart): Promise<StartOutcome> {
  const { config } = start;
  return startCall(
    start.durable,
    {
      owner: await ownerOf(start.key),
      tool: start.tool,
      arguments: foreground(start.arguments),
      key: start.key,
      origin: start.origin,
      model: start.model,
      retentionMs: config.tasks.retentionMs,
      ...(start.progressToken === undefined ? {} : { progressToken: start.progressToken }),
      caller: start.caller,
      background: start.background,
    },
    config.tasks.maxWorkingPerKey,
    start.clock.now(),
  );
}

/**
 * The arguments a durable call runs its tool with: `background` (chat_completion's way into a
 * durable call) is spent once the call is one, as it is for an MCP task that a host's model also
 * asked to run in the background. The call's object has no durable calls of its own to start.
 */
function foreground(args: unknown): unknown {
  if (typeof args !== "object" || args === null) return args;
  const { background: _, ...rest } = args as Record<string, unknown>;
  return rest;
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
    snapshot.partial ??
    (outcome?.kind === "error" && outcome.error.data ? { text: outcome.error.data.text, tokens: 0 } : undefined);
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
