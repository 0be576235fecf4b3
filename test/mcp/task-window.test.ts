// 2026-07-28's short window (src/mcp/task-window.ts): a call answered inside it never became a
// task and leaves nothing behind: not listed, not readable, not counted against the key's bound.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc, sseMessages } from "../support/http.js";

const MODERN = "2026-07-28";
const TASKS = "io.modelcontextprotocol/tasks";
const KEY = "sk-or-v1-a-key-of-its-own-for-the-window";

const { worker } = useWorkerWithStandIn({ TASK_WINDOW_MS: "2000", MAX_TASKS_PER_KEY: "1" });

/** A 2026-07-28 tools/call that declares the Tasks extension: the server may answer a task. */
async function modernCall(model: string): Promise<Record<string, any>> {
  const response = await post(
    worker.mcpUrl,
    rpc(1, "tools/call", {
      name: "chat_completion",
      arguments: { prompt: "x", model },
      _meta: {
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientInfo": { name: "task-window-test", version: "1" },
        "io.modelcontextprotocol/clientCapabilities": { extensions: { [TASKS]: {} } },
      },
    }),
    { protocolVersion: MODERN, key: KEY, headers: { "Mcp-Method": "tools/call", "Mcp-Name": "chat_completion" } },
  );
  return sseMessages(await response.text()).at(-1)!;
}

/** The same key's tasks, as a 2025-11-25 client lists them. */
async function listed(): Promise<unknown[]> {
  const response = await post(worker.mcpUrl, rpc(2, "tasks/list"), {
    protocolVersion: "2025-11-25",
    key: KEY,
    accept: "application/json",
  });
  return ((await response.json()) as { result: { tasks: unknown[] } }).result.tasks;
}

describe("a 2026-07-28 call answered inside the window", () => {
  it("leaves nothing behind, whether it answered or failed, and takes no place of the key's bound", async () => {
    const answered = await modernCall("stand-in/tokens-3");
    expect(answered.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: "t0 t1 t2 " }] });
    const failed = await modernCall("stand-in/error-402");
    expect(failed.result).toMatchObject({ resultType: "complete", isError: true });
    expect(await listed()).toEqual([]);
    // The bound is 1: a call that outlasts the window still becomes a task.
    const task = await modernCall("stand-in/slow-30-100");
    expect(task.result).toMatchObject({ resultType: "task", status: "working" });
    expect(await listed()).toMatchObject([{ taskId: task.result.taskId }]);
  });
});
