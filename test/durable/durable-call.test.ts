// What makes a durable call durable, tried as a person would: the answer outlives the client that
// asked, only the same key sees it, a restart fails it cleanly, limits hold, and it goes away
// after its retention. Background mode (chat_completion background: true, get_completion) through
// an ordinary SDK client, for hosts without Tasks.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  type CallToolResult,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REVOKED_KEY, VALID_KEY } from "../../stand-in/openrouter.js";
import { post, rpc } from "../support/http.js";
import { openRouterVars, useStandIn, useWorker } from "../support/fixture.js";
import { startWorker } from "../support/worker.js";

const OTHER_KEY = "sk-or-v1-another-persons-key";
const standIn = useStandIn();
const worker = useWorker({ PROGRESS_INTERVAL_MS: "10" }, { standIn });

async function connect(key: string, url = worker.mcpUrl): Promise<Client> {
  const client = new Client({ name: "durable-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }),
  );
  return client;
}

const tokens = (n: number): string => Array.from({ length: n }, (_, i) => `t${i} `).join("");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startTask(client: Client, model: string, prompt = "x"): Promise<string> {
  const created = await client.request(
    { method: "tools/call", params: { name: "chat_completion", arguments: { prompt, model }, task: {} } },
    CreateTaskResultSchema,
  );
  return created.task.taskId;
}

/** Every file under a folder, as bytes (Durable Objects' SQLite files among them). */
function filesUnder(folder: string): Buffer[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
}

describe("a durable call outlives its client", () => {
  it("answers a 30 s call, started by a client that went away, to a new connection with the same key, and to no other key", async () => {
    const before = standIn.chatRequests().length;
    const first = await connect(VALID_KEY);
    const taskId = await startTask(first, "stand-in/slow-60-500");
    await first.close(); // the client is gone; the call goes on in its Durable Object

    const other = await connect(OTHER_KEY);
    await expect(other.experimental.tasks.getTask(taskId)).rejects.toThrow(/Task not found/);
    await other.close();

    const second = await connect(VALID_KEY);
    try {
      let task = await second.experimental.tasks.getTask(taskId);
      expect(task.status).toBe("working");
      const messages: string[] = [];
      while (task.status === "working") {
        messages.push(task.statusMessage ?? "");
        await sleep(task.pollInterval ?? 1000);
        task = await second.experimental.tasks.getTask(taskId);
      }
      expect(task.status).toBe("completed");
      // While it worked, the status read like a progress message.
      expect(messages.some((message) => /^stand-in\/slow-60-500 · \d+ tokens · …?t\d+/.test(message))).toBe(true);
      const result = await second.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
      expect(result.content).toEqual([{ type: "text", text: tokens(60) }]);
      // One upstream request, read to its end: nobody paid twice.
      expect(standIn.chatRequests().length).toBe(before + 1);
      expect(await standIn.chatRequests()[before]!.whenClosed).toBe("finished");
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe("background mode, for hosts without Tasks", () => {
  it("answers at once with an id and what to do, then get_completion waits, with progress, for the same result", async () => {
    const client = await connect(VALID_KEY);
    try {
      await client.listTools(); // the SDK checks results against the listed output schemas
      const started = (await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-20-50", background: true },
      })) as CallToolResult;
      expect(started.isError).toBeFalsy();
      const id = (started.structuredContent as { completion: { id: string; status: string } }).completion.id;
      expect(started.structuredContent).toMatchObject({ text: "", completion: { id, status: "working" } });
      expect((started.content[0] as { text: string }).text).toContain(`call get_completion with {"id": "${id}"}`);

      const progress: Progress[] = [];
      const done = (await client.callTool({ name: "get_completion", arguments: { id } }, undefined, {
        onprogress: (p) => progress.push(p),
      })) as CallToolResult;
      expect(done.isError).toBeFalsy();
      expect(done.content).toEqual([{ type: "text", text: tokens(20) }]);
      expect(done.structuredContent).toMatchObject({
        text: tokens(20),
        finish_reason: "stop",
        completion: { id, status: "completed" },
      });
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("answers the status and the text so far when the wait ends first, and only to the same key", async () => {
    const client = await connect(VALID_KEY);
    const other = await connect(OTHER_KEY);
    try {
      await client.listTools();
      const started = (await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-40-100", background: true },
      })) as CallToolResult;
      const id = (started.structuredContent as { completion: { id: string } }).completion.id;
      await sleep(1200);
      const partial = (await client.callTool({ name: "get_completion", arguments: { id, wait: 0 } })) as CallToolResult;
      expect(partial.isError).toBeFalsy();
      expect(partial.structuredContent).toMatchObject({ completion: { id, status: "working" }, finish_reason: null });
      const soFar = (partial.structuredContent as { text: string }).text;
      expect(soFar.length).toBeGreaterThan(0);
      expect(tokens(40).startsWith(soFar)).toBe(true);
      expect((partial.content[0] as { text: string }).text).toMatch(
        /^Still working: stand-in\/slow-40-100 · \d+ tokens/,
      );

      const theirs = (await other.callTool({ name: "get_completion", arguments: { id } })) as CallToolResult;
      expect(theirs.isError).toBe(true);
      expect((theirs.content[0] as { text: string }).text).toContain("No background completion");

      const cancelled = (await client.callTool({
        name: "get_completion",
        arguments: { id, cancel: true },
      })) as CallToolResult;
      expect(cancelled.isError).toBe(true);
      expect(cancelled.structuredContent).toMatchObject({ completion: { id, status: "cancelled" } });
    } finally {
      await client.close();
      await other.close();
    }
  });
});

describe("limits", () => {
  const limited = useWorker({ MAX_TASKS_PER_KEY: "2", TASK_RETENTION_SECONDS: "1" }, { standIn });

  it("refuses a third working call per key with a clear error, and admits one again after a cancel", async () => {
    const client = await connect(VALID_KEY, limited.mcpUrl);
    try {
      const first = await startTask(client, "stand-in/slow-100-100");
      await startTask(client, "stand-in/slow-100-100");
      await expect(startTask(client, "stand-in/slow-100-100")).rejects.toThrow(
        /already has 2 tasks and background calls working, the most this server allows at once \(2\)/,
      );
      await client.experimental.tasks.cancelTask(first);
      const third = await startTask(client, "stand-in/tokens-3");
      expect(third).toMatch(/^[\w-]{32}$/);
    } finally {
      await client.close();
    }
  });

  it("forgets a task once its retention has passed", async () => {
    const client = await connect(VALID_KEY, limited.mcpUrl);
    try {
      const taskId = await startTask(client, "stand-in/tokens-3");
      let task = await client.experimental.tasks.getTask(taskId);
      for (let i = 0; task.status === "working" && i < 50; i++)
        task = await sleep(50).then(() => client.experimental.tasks.getTask(taskId));
      expect(task).toMatchObject({ status: "completed" });
      expect(task.ttl).toBeGreaterThanOrEqual(1000);
      await sleep(2500);
      await expect(client.experimental.tasks.getTask(taskId)).rejects.toThrow(/Task not found/);
      expect((await client.experimental.tasks.listTasks()).tasks.map((t) => t.taskId)).not.toContain(taskId);
    } finally {
      await client.close();
    }
  });
});

describe("with OPEN_DISCOVERY", () => {
  const open = useWorker({ OPEN_DISCOVERY: "true" }, { standIn });

  it("starts no durable call, task or background, for a key OpenRouter rejects: 401 before anything is stored", async () => {
    const before = standIn.chatRequests().length;
    const call = (params: Record<string, unknown>) =>
      post(open.mcpUrl, rpc(1, "tools/call", params), {
        key: REVOKED_KEY,
        protocolVersion: "2025-11-25",
        accept: "application/json",
      });
    expect(
      (await call({ name: "chat_completion", arguments: { prompt: "x", model: "stand-in/tokens-3" }, task: {} }))
        .status,
    ).toBe(401);
    expect(
      (
        await call({
          name: "chat_completion",
          arguments: { prompt: "x", model: "stand-in/tokens-3", background: true },
        })
      ).status,
    ).toBe(401);
    expect(standIn.chatRequests().length).toBe(before);
    // Without a key, what needs none still answers.
    const listed = await post(open.mcpUrl, rpc(2, "tools/call", { name: "list_models", arguments: { limit: 1 } }), {
      protocolVersion: "2025-11-25",
      accept: "application/json",
    });
    expect(listed.status).toBe(200);
  });
});

describe("a restart mid-call", () => {
  const folder = mkdtempSync(join(tmpdir(), "durable-restart-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("fails the call with a clear status message and keeps the text saved until then, never working forever; the key and the prompt were never stored", async () => {
    const vars = { ...openRouterVars(standIn), PROGRESS_INTERVAL_MS: "10" };
    const before = await startWorker(vars, { persistTo: folder });
    let taskId: string;
    try {
      const client = await connect(VALID_KEY, before.mcpUrl);
      taskId = await startTask(client, "stand-in/slow-100-100", "a-prompt-that-must-not-be-stored");
      await sleep(2000); // past the first save of the text so far (a second at most after it arrived)
      await client.close();
    } finally {
      await before.dispose(); // as a deploy would: the object running the call is gone
    }
    const stored = filesUnder(folder);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((bytes) => bytes.includes("t0 t1 t2 "))).toBe(true); // the text so far was saved…
    expect(stored.some((bytes) => bytes.includes(VALID_KEY))).toBe(false); // …never the key
    expect(stored.some((bytes) => bytes.includes("a-prompt-that-must-not-be-stored"))).toBe(false); // …nor the prompt
    const after = await startWorker(vars, { persistTo: folder });
    try {
      const client = await connect(VALID_KEY, after.mcpUrl);
      const task = await client.experimental.tasks.getTask(taskId);
      expect(task.status).toBe("failed");
      expect(task.statusMessage).toMatch(/server restarted while this answer was being written/);
      const failure = await client.experimental.tasks
        .getTaskResult(taskId, CallToolResultSchema)
        .catch((error: { code: number; data: { text: string } }) => error);
      expect(failure).toMatchObject({ code: -32603, data: { text: expect.stringMatching(/^t0 t1 t2 /) } });
      await client.close();
    } finally {
      await after.dispose();
    }
  }, 30_000);
});
