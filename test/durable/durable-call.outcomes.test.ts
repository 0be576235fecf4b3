// How a durable call's end reads from outside, whichever way it was asked for: a failed call says
// why in its status message (the one thing the SDK's task stream shows of a failed task), and a
// tool error is "failed" both as a 2025-11-25 task and as a background call.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ProgressNotificationSchema,
  type CallToolResult,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { tokensText } from "../support/http.js";
import { connectSdkClient } from "../support/sdk-client.js";

const standIn = useStandIn();
const worker = useWorker({ PROGRESS_INTERVAL_MS: "10" }, { standIn });

function connect(key = VALID_KEY, url = worker.mcpUrl): Promise<Client> {
  return connectSdkClient(url, key, "durable-outcomes-test");
}

async function startTask(client: Client, model: string): Promise<string> {
  const created = await client.request(
    { method: "tools/call", params: { name: "chat_completion", arguments: { prompt: "x", model }, task: {} } },
    CreateTaskResultSchema,
  );
  return created.task.taskId;
}

async function startBackground(client: Client, model: string): Promise<string> {
  const started = (await client.callTool({
    name: "chat_completion",
    arguments: { prompt: "x", model, background: true },
  })) as CallToolResult;
  return (started.structuredContent as { completion: { id: string } }).completion.id;
}

const OUT_OF_CREDITS = /^stand-in\/error-402 · failed: Out of credits for this key\./;

describe("a durable call that fails", () => {
  it("says why, with the model's id, in the status the SDK's task stream shows before its error", async () => {
    const client = await connect();
    try {
      const statuses: { status: string; statusMessage?: string | undefined }[] = [];
      let error: Error | undefined;
      for await (const message of client.experimental.tasks.callToolStream(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/error-402" } },
        CallToolResultSchema,
        { task: {} },
      )) {
        if (message.type === "taskStatus") statuses.push(message.task);
        if (message.type === "error") error = message.error;
      }
      expect(error?.message).toMatch(/failed/);
      expect(statuses.at(-1)).toMatchObject({ status: "failed", statusMessage: expect.stringMatching(OUT_OF_CREDITS) });
    } finally {
      await client.close();
    }
  });

  it("is failed, in the same words, as a background call and as a task, its tool error whole in both", async () => {
    const client = await connect();
    try {
      await client.listTools();
      const taskId = await startTask(client, "stand-in/error-402");
      const viaTask = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
      const task = await client.experimental.tasks.getTask(taskId);
      const id = await startBackground(client, "stand-in/error-402");
      const viaBackground = (await client.callTool({ name: "get_completion", arguments: { id } })) as CallToolResult;
      expect(task).toMatchObject({ status: "failed", statusMessage: expect.stringMatching(OUT_OF_CREDITS) });
      expect(viaBackground.structuredContent).toMatchObject({
        completion: { id, status: "failed", status_message: expect.stringMatching(OUT_OF_CREDITS) },
      });
      expect(viaBackground.isError).toBe(true);
      expect(viaTask.isError).toBe(true);
      expect(viaBackground.content).toEqual(viaTask.content);
    } finally {
      await client.close();
    }
  });
});

describe("the per-key bound", () => {
  const limited = useWorker({ MAX_TASKS_PER_KEY: "2" }, { standIn });

  it("counts tasks and background calls together, and says so to both", async () => {
    const client = await connect(VALID_KEY, limited.mcpUrl);
    try {
      const task = await startTask(client, "stand-in/slow-100-100");
      const background = await startBackground(client, "stand-in/slow-100-100");
      const words = /already has 2 tasks and background calls working, the most this server allows at once \(2\)/;
      await expect(startTask(client, "stand-in/tokens-3")).rejects.toThrow(words);
      const refused = (await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/tokens-3", background: true },
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect((refused.content[0] as { text: string }).text).toMatch(words);
      await client.experimental.tasks.cancelTask(task);
      await client.callTool({ name: "get_completion", arguments: { id: background, cancel: true } });
    } finally {
      await client.close();
    }
  });
});

describe("a durable call cancelled", () => {
  it("keeps the text written until then, and both ways to cancel say and do the same", async () => {
    const client = await connect();
    try {
      await client.listTools();
      const words =
        /^Cancelled by request \((tasks\/cancel|get_completion)\): OpenRouter was told to stop; the text written until then is kept\.$/;
      const id = await startBackground(client, "stand-in/slow-100-50");
      const taskId = await startTask(client, "stand-in/slow-100-50");
      await waitForText(client, id);
      await waitForText(client, taskId);
      const viaGetCompletion = (await client.callTool({
        name: "get_completion",
        arguments: { id, cancel: true },
      })) as CallToolResult;
      const cancelled = await client.experimental.tasks.cancelTask(taskId);
      expect(cancelled.statusMessage).toMatch(words);
      for (const [result, which] of [
        [viaGetCompletion, id],
        [
          (await client.callTool({ name: "get_completion", arguments: { id: taskId, wait: 0 } })) as CallToolResult,
          taskId,
        ],
      ] as const) {
        const structured = result.structuredContent as {
          text: string;
          completion: { status: string; status_message: string };
        };
        expect(structured.completion).toMatchObject({
          id: which,
          status: "cancelled",
          status_message: expect.stringMatching(words),
        });
        // Something was written before the cancel (waitForText), and it is the answer's start.
        expect(structured.text).toMatch(/^t0 /);
        expect(tokensText(100).startsWith(structured.text)).toBe(true);
        expect((result.content[1] as { text: string }).text).toBe(`The answer until then:\n${structured.text}`);
      }
      const viaTaskResult = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
      expect(viaTaskResult.isError).toBe(true);
      expect((viaTaskResult.content[1] as { text: string }).text).toMatch(/^The answer until then:\nt0 /);
    } finally {
      await client.close();
    }
  });
});

/** Waits until the call has some text so far (get_completion with wait 0 shows it). */
async function waitForText(client: Client, id: string): Promise<void> {
  for (;;) {
    const now = (await client.callTool({ name: "get_completion", arguments: { id, wait: 0 } })) as CallToolResult;
    if ((now.structuredContent as { text: string }).text !== "") return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("progress of a durable call", () => {
  it("ends full only with the whole answer: not when a wait ends first, nor when the call is cancelled", async () => {
    const client = await connect();
    try {
      await client.listTools();
      const id = await startBackground(client, "stand-in/slow-100-50");
      await waitForText(client, id);
      const waited: Progress[] = [];
      const stillWorking = (await client.callTool({ name: "get_completion", arguments: { id, wait: 1 } }, undefined, {
        onprogress: (p) => waited.push(p),
      })) as CallToolResult;
      expect(stillWorking.structuredContent).toMatchObject({ completion: { status: "working" } });
      expect(waited.length).toBeGreaterThan(0);
      expect(waited.filter((p) => p.total !== undefined)).toEqual([]);

      const held: Progress[] = [];
      const created = await client.request(
        {
          method: "tools/call",
          params: {
            name: "chat_completion",
            arguments: { prompt: "x", model: "stand-in/slow-100-50" },
            task: {},
            _meta: { progressToken: "held" },
          },
        },
        CreateTaskResultSchema,
      );
      client.setNotificationHandler(ProgressNotificationSchema, (n) => {
        if (n.params.progressToken === "held") held.push(n.params);
      });
      const result = client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await client.experimental.tasks.cancelTask(created.task.taskId);
      expect((await result).isError).toBe(true);
      expect(held.filter((p) => p.total !== undefined)).toEqual([]);
      await client.callTool({ name: "get_completion", arguments: { id, cancel: true } });
    } finally {
      await client.close();
    }
  });
});

describe("a result longer than a durable call keeps", () => {
  it("is kept within 1,000,000 bytes of JSON, its text cut and marked, and says so", async () => {
    const client = await connect();
    try {
      await client.listTools(); // the SDK checks the result against the output schema: truncated is in it
      const id = await startBackground(client, "stand-in/tokens-160000");
      const done = (await client.callTool({ name: "get_completion", arguments: { id } })) as CallToolResult;
      expect(done.isError).toBeFalsy();
      const { completion, ...kept } = done.structuredContent as {
        completion: unknown;
        text: string;
        truncated: boolean;
      };
      expect(new TextEncoder().encode(JSON.stringify({ ...done, structuredContent: kept })).length).toBeLessThanOrEqual(
        1_000_000,
      );
      expect(completion).toMatchObject({ status: "completed" });
      expect(kept.truncated).toBe(true);
      expect(kept.text).toMatch(/^t0 t1 t2 [\s\S]*…$/);
      expect((done.content.at(-1) as { text: string }).text).toMatch(
        /^This answer is longer than a durable call keeps \(1,000,000 bytes of JSON\)/,
      );
    } finally {
      await client.close();
    }
  }, 60_000);
});
