// The `get_completion` tool: waits for a background completion (chat_completion with
// background: true) and answers its result, or, while it works, its status and the text so far.
// It can also cancel one. Only the key that started a completion can see it.
import * as z from "zod/mini";
import { deadline } from "../clock.js";
import { completionResult } from "./background.js";
import { MAX_RESULT_BYTES } from "../tool-result.js";
import { inputSchema, MAX_WAIT_SECONDS } from "./get-completion-schemas.js";
// Generated from the zod schemas by `npm run schemas` (a test keeps them in step).
import chatCompletionSchemas from "./chat-completion-schemas.json";
import jsonSchemas from "./get-completion-schemas.json";
import { describeArgumentIssues, errorResult } from "./results.js";
import type { Tool, ToolCallContext, ToolDefinition, ToolStart } from "./tool.js";
import { VIEW_TOOL_META } from "./view.js";

const TOOL_NAME = "get_completion";
const TITLE = "Get a background completion";

const definition: ToolDefinition = {
  name: TOOL_NAME,
  title: TITLE,
  description:
    "Wait for a completion that chat_completion started with background: true, and return its answer (the same result chat_completion returns). " +
    `Waits up to ${MAX_WAIT_SECONDS} seconds; if the answer is not done by then, returns the status and the text so far: call it again with the same id. ` +
    "cancel: true stops the completion and returns the text written until then. In a host that shows this server's view (MCP Apps), the view follows the completion itself.",
  _meta: VIEW_TOOL_META,
  inputSchema: jsonSchemas.inputSchema,
  // The result is chat_completion's (with `completion` filled in).
  outputSchema: chatCompletionSchemas.outputSchema,
  annotations: {
    title: TITLE,
    // Not read-only: with cancel it stops a completion, and the rest of that answer is lost
    // (destructive). Waiting twice, or cancelling twice, does no more than once (idempotent).
    // It asks only this server, never the outside world (OpenRouter is asked by chat_completion).
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
};

export const getCompletion: Tool = {
  name: TOOL_NAME,
  definition: () => definition,
  call: callGetCompletion,
  policy: {
    needsKey: true,
    // It waits for, or cancels, a call a Durable Object holds.
    readsDurableCalls: true,
    leavesState: () => false,
    // A stored result, which may hold a megabyte of images and costs nothing to read again.
    answerBytes: MAX_RESULT_BYTES,
  },
};

async function callGetCompletion(rawArguments: unknown, context: ToolCallContext): Promise<ToolStart> {
  if (!context.key) return { kind: "unauthorized", reason: "missing" };
  const parsed = z.safeParse(inputSchema, rawArguments ?? {}, { reportInput: true });
  if (!parsed.success) {
    return {
      kind: "result",
      result: errorResult(
        describeArgumentIssues(TOOL_NAME, parsed.error, "{ id: string, wait?: seconds, cancel?: boolean }"),
      ),
    };
  }
  const { calls } = context;
  if (!calls) return { kind: "unauthorized", reason: "missing" };
  const { id, wait = MAX_WAIT_SECONDS, cancel = false } = parsed.data;
  const notFound = errorResult(
    `No background completion "${id}" for this key. Completions are kept for a while after they end, and only the key that started one can see it.`,
  );
  if (cancel) {
    const reason =
      "Cancelled by request (get_completion): OpenRouter was told to stop; the text written until then is kept.";
    const cancelled = await calls.cancel(id, reason);
    return { kind: "result", result: cancelled ? completionResult(cancelled.snapshot, cancelled.cancelled) : notFound };
  }
  // Streamed: while it waits, the client gets the call's progress (which resets the timers of
  // clients that reset on progress), and keepalives hold the connection open.
  return {
    kind: "stream",
    progressTotal: undefined,
    // A wait that ends with the call still working is no answer: its progress does not end full.
    isWhole: (result) =>
      (result.structuredContent as { completion?: { status?: unknown } } | undefined)?.completion?.status ===
      "completed",
    relay: async (progress) => {
      const waiting = deadline(context.clock, wait * 1000, context.signal);
      try {
        await calls.untilEnd(id, (count, message) => progress.report(count, () => message), waiting.signal);
      } finally {
        waiting.clear();
      }
      const snapshot = await calls.get(id, true);
      return snapshot ? completionResult(snapshot, false) : notFound;
    },
  };
}
