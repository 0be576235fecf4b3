// 2026-07-28's short window (mcp/tool-call.ts starts the call, as a task it may become): the
// call streams as a plain tools/call for up to TASK_WINDOW_MS, and is answered as one when it is
// done by then, leaving nothing behind; still working, it is answered as the task it is.
import { deadline } from "../clock.js";
import type { DurableCalls } from "../durable/calls.js";
import { isTerminal, type TaskSnapshot } from "../durable/task.js";
import type { CallToolResult } from "../tool-result.js";
import { resultOf, type DispatchContext, type Notify } from "./answers.js";
import { ErrorCode, failure, type JsonRpcId, type JsonRpcResponse } from "./jsonrpc.js";
import { progressNotifier } from "./progress.js";
import { modernTask, taskFailure } from "./tasks.js";

/**
 * 2026-07-28: the call streams as a plain tools/call would for up to TASK_WINDOW_MS; done by
 * then, it answers what a plain tools/call would have; still working, it answers the task, and
 * goes on without us. A client that goes away (or cancels) inside the window never learns the
 * task's id: the call is cancelled then, so nobody pays for an answer no one can fetch.
 */
export async function taskWindow(
  id: JsonRpcId,
  progressToken: string | number | undefined,
  context: DispatchContext,
  calls: DurableCalls,
  snapshot: TaskSnapshot,
  notify: Notify | undefined,
): Promise<JsonRpcResponse> {
  const progress = progressNotifier(progressToken, undefined, notify, context);
  const window = deadline(context.clock, context.config.tasks.windowMs, context.signal);
  try {
    const report = (count: number, message: string): void => progress?.report(count, () => message);
    const ended = await calls.untilEnd(snapshot.taskId, report, window.signal);
    if (!ended && context.signal.aborted) {
      const reason = "Cancelled: the client went away before the call became a task.";
      // The answer below is the same whether or not the object could be told (it stops on its own,
      // and is then kept for the retention as any ended call).
      await calls.cancel(snapshot.taskId, reason).catch(() => undefined);
      await forget(calls, snapshot.taskId);
      return failure(id, { code: ErrorCode.InternalError, message: "The request was cancelled." });
    }
    const now = ended ?? (await calls.get(snapshot.taskId)) ?? snapshot;
    if (!isTerminal(now.status)) return resultOf(id, context.era, { ...modernTask(now), resultType: "task" });
    // Answered inside the window: it never became a task, and leaves nothing behind.
    await forget(calls, snapshot.taskId);
    const { outcome } = now;
    if (outcome?.kind === "failed") return failure(id, taskFailure(outcome));
    if (now.status === "completed") progress?.complete();
    const cancelled: CallToolResult = { content: [{ type: "text", text: now.statusMessage }], isError: true };
    return resultOf(id, context.era, outcome?.kind === "result" ? outcome.result : cancelled);
  } finally {
    window.clear();
    progress?.stop();
  }
}

/** Forgets a call that never became a task; one that could not be told is kept for the retention, as any ended call. */
async function forget(calls: DurableCalls, taskId: string): Promise<void> {
  await calls.discard(taskId).catch(() => undefined);
}
