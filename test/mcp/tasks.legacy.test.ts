// MCP Tasks in the 2025-11-25 era, driven by the official SDK client's task API
// (client.experimental.tasks), against the Worker and its Durable Objects in workerd.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";

const OTHER_KEY = "sk-or-v1-another-persons-key";
const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });

async function connect(key: string, url = worker.mcpUrl): Promise<Client> {
  const client = new Client({ name: "tasks-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

const tokens = (n: number): string => Array.from({ length: n }, (_, i) => `t${i} `).join("");

describe("tasks, 2025-11-25", () => {
  it("declares tasks for tools/call with list and cancel, and chat_completion as optional", async () => {
    const client = await connect(VALID_KEY);
    try {
      expect(client.getServerCapabilities()?.tasks).toEqual({
        list: {},
        cancel: {},
        requests: { tools: { call: {} } },
      });
      const { tools } = await client.listTools();
      expect(tools.find((t) => t.name === "chat_completion")?.execution).toEqual({ taskSupport: "optional" });
      expect(tools.find((t) => t.name === "list_models")?.execution).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it("runs a call as a task: created, polled while working, then its exact result", async () => {
    const client = await connect(VALID_KEY);
    try {
      await client.listTools();
      const kinds: string[] = [];
      let result: unknown;
      for await (const message of client.experimental.tasks.callToolStream(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-12-150" } },
        CallToolResultSchema,
        { task: {} },
      )) {
        kinds.push(message.type);
        if (message.type === "taskStatus") expect(["working", "completed"]).toContain(message.task.status);
        if (message.type === "result") result = message.result;
        if (message.type === "error") throw message.error;
      }
      expect(kinds[0]).toBe("taskCreated");
      expect(kinds).toContain("taskStatus");
      expect(kinds.at(-1)).toBe("result");
      expect(result).toMatchObject({
        content: [{ type: "text", text: tokens(12) }],
        structuredContent: { text: tokens(12), finish_reason: "stop" },
      });
    } finally {
      await client.close();
    }
  });

  it("holds tasks/result open until the end, with the call's progress under the original token", async () => {
    const client = await connect(VALID_KEY);
    try {
      const created = await client.request(
        {
          method: "tools/call",
          params: {
            name: "chat_completion",
            arguments: { prompt: "x", model: "stand-in/slow-20-50" },
            task: {},
            _meta: { progressToken: "p1" },
          },
        },
        (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema,
      );
      expect(created.task).toMatchObject({
        status: "working",
        ttl: expect.any(Number),
        pollInterval: expect.any(Number),
      });
      const progress: Progress[] = [];
      client.setNotificationHandler(
        (await import("@modelcontextprotocol/sdk/types.js")).ProgressNotificationSchema,
        (n) => {
          if (n.params.progressToken === "p1") progress.push(n.params as Progress);
        },
      );
      const result = await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
      expect(result.content).toEqual([{ type: "text", text: tokens(20) }]);
      expect(result._meta).toEqual({ "io.modelcontextprotocol/related-task": { taskId: created.task.taskId } });
      expect(progress.length).toBeGreaterThan(1);
      for (let i = 1; i < progress.length; i++)
        expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
      expect(progress.at(-1)).toMatchObject({ progress: 20, total: 20 });
    } finally {
      await client.close();
    }
  });

  it("lists only this key's tasks, and another key finds none of them", async () => {
    const mine = await connect(VALID_KEY);
    const theirs = await connect(OTHER_KEY);
    try {
      const created = await mine.request(
        {
          method: "tools/call",
          params: { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/tokens-3" }, task: {} },
        },
        (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema,
      );
      const id = created.task.taskId;
      expect((await mine.experimental.tasks.listTasks()).tasks.map((t) => t.taskId)).toContain(id);
      expect((await theirs.experimental.tasks.listTasks()).tasks.map((t) => t.taskId)).not.toContain(id);
      await expect(theirs.experimental.tasks.getTask(id)).rejects.toThrow(/Task not found/);
      await expect(theirs.experimental.tasks.getTaskResult(id, CallToolResultSchema)).rejects.toThrow(/Task not found/);
      await expect(theirs.experimental.tasks.cancelTask(id)).rejects.toThrow(/Task not found/);
      await expect(mine.experimental.tasks.getTask("a".repeat(32))).rejects.toThrow(/Task not found/);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it("pages tasks/list newest first, and refuses a cursor it never gave", async () => {
    const client = await connect("sk-or-v1-a-key-with-many-tasks");
    try {
      const schema = (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema;
      const ids: string[] = [];
      for (let i = 0; i < 23; i++) {
        const created = await client.request(
          {
            method: "tools/call",
            params: { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/tokens-1" }, task: {} },
          },
          schema,
        );
        ids.push(created.task.taskId);
        await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
      }
      const first = await client.experimental.tasks.listTasks();
      expect(first.tasks).toHaveLength(20);
      expect(first.nextCursor).toBeDefined();
      const second = await client.experimental.tasks.listTasks(first.nextCursor);
      expect(second.nextCursor).toBeUndefined();
      expect([...first.tasks, ...second.tasks].map((t) => t.taskId)).toEqual([...ids].reverse());
      await expect(client.experimental.tasks.listTasks("b".repeat(32))).rejects.toThrow(
        /cursor is not one tasks\/list gave out/,
      );
    } finally {
      await client.close();
    }
  });

  it("cancels: the upstream stream is cut, the task says cancelled, and a second cancel is refused", async () => {
    const client = await connect(VALID_KEY);
    try {
      const before = standIn.chatRequests().length;
      const created = await client.request(
        {
          method: "tools/call",
          params: { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-100-100" }, task: {} },
        },
        (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema,
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      const upstream = standIn.chatRequests()[before]!;
      const cancelled = await client.experimental.tasks.cancelTask(created.task.taskId);
      expect(cancelled).toMatchObject({ taskId: created.task.taskId, status: "cancelled" });
      expect(await upstream.whenClosed).toBe("client-closed");
      expect((await client.experimental.tasks.getTask(created.task.taskId)).status).toBe("cancelled");
      await expect(client.experimental.tasks.cancelTask(created.task.taskId)).rejects.toThrow(/terminal status/);
    } finally {
      await client.close();
    }
  });

  it("runs a call that also asks for background as a task: the task is the durable call, not a handle to another", async () => {
    // A host with Tasks whose model follows chat_completion's description ("pass background: true").
    const client = await connect(VALID_KEY);
    try {
      let result: unknown;
      for await (const message of client.experimental.tasks.callToolStream(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-3-20", background: true } },
        CallToolResultSchema,
        { task: {} },
      )) {
        if (message.type === "result") result = message.result;
        if (message.type === "error") throw message.error;
      }
      expect(result).toMatchObject({
        content: [{ type: "text", text: tokens(3) }],
        structuredContent: { text: tokens(3), finish_reason: "stop" },
      });
      expect(result).not.toHaveProperty("isError");
    } finally {
      await client.close();
    }
  });

  it("refuses a task for a tool that does not run as one, and bad arguments without starting anything", async () => {
    const client = await connect(VALID_KEY);
    try {
      const before = standIn.chatRequests().length;
      const schema = (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema;
      await expect(
        client.request({ method: "tools/call", params: { name: "list_models", arguments: {}, task: {} } }, schema),
      ).rejects.toThrow(/does not run as a task/);
      await expect(
        client.request(
          {
            method: "tools/call",
            params: { name: "chat_completion", arguments: { prompt: "x", temperature: 9 }, task: {} },
          },
          schema,
        ),
      ).rejects.toThrow(/"temperature" must be at most 2/);
      expect(standIn.chatRequests().length).toBe(before);
    } finally {
      await client.close();
    }
  });
});

describe("tasks/list's cursor", () => {
  // Long enough to start twenty tasks and list them before the first is gone.
  const brief = useWorker({ TASK_RETENTION_SECONDS: "4" }, { standIn });

  it("stays good when the task it ended a page on is gone, while a task after it is still there", async () => {
    const client = await connect("sk-or-v1-a-key-whose-tasks-expire", brief.mcpUrl);
    const schema = (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema;
    const start = async (model: string) =>
      (
        await client.request(
          { method: "tools/call", params: { name: "chat_completion", arguments: { prompt: "x", model }, task: {} } },
          schema,
        )
      ).task.taskId;
    try {
      const working = await start("stand-in/slow-100-100");
      const quick: string[] = [];
      for (let i = 0; i < 20; i++) quick.push(await start("stand-in/tokens-1"));
      const first = await client.experimental.tasks.listTasks();
      expect(first.tasks.map((t) => t.taskId)).toEqual([...quick].reverse());
      // The page ends on the oldest quick task: once its retention has passed, it is gone.
      while (
        await client.experimental.tasks.getTask(quick[0]!).then(
          () => true,
          () => false,
        )
      )
        await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await client.experimental.tasks.listTasks(first.nextCursor);
      expect(second.tasks.map((t) => t.taskId)).toEqual([working]);
      await client.experimental.tasks.cancelTask(working);
    } finally {
      await client.close();
    }
  });
});
