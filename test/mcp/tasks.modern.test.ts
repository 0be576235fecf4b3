// MCP Tasks in the 2026-07-28 era (the io.modelcontextprotocol/tasks extension), driven by the
// official ext-tasks client library over the MCP SDK v2 client, and by raw JSON-RPC where the
// rules are about single messages.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  createTaskSessionFromClient,
  resultFromTaskOutcome,
  type RawClientDispatch,
} from "@modelcontextprotocol/ext-tasks/client";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorker, useWorkerWithStandIn } from "../support/fixture.js";
import { post, rpc, sseMessages } from "../support/http.js";

const MODERN = "2026-07-28";
const TASKS = "io.modelcontextprotocol/tasks";
const CLIENT_INFO = { name: "tasks-modern-test", version: "1.0.0" };
const OTHER_KEY = "sk-or-v1-another-persons-key";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10", TASK_WINDOW_MS: "300" });

const tokens = (n: number): string => Array.from({ length: n }, (_, i) => `t${i} `).join("");

/** A modern request, its _meta and headers as the revision asks; `tasks` declares the extension. */
function modern(
  id: number,
  method: string,
  params: Record<string, unknown>,
  options: { tasks?: boolean; key?: string; url?: string } = {},
) {
  const capabilities = options.tasks === false ? {} : { extensions: { [TASKS]: {} } };
  const name =
    typeof params.name === "string" ? params.name : typeof params.taskId === "string" ? params.taskId : undefined;
  return post(
    options.url ?? worker.mcpUrl,
    rpc(id, method, {
      ...params,
      _meta: {
        ...(params._meta as object),
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
        "io.modelcontextprotocol/clientCapabilities": capabilities,
      },
    }),
    {
      protocolVersion: MODERN,
      key: options.key ?? VALID_KEY,
      headers: { "Mcp-Method": method, ...(name ? { "Mcp-Name": name } : {}) },
    },
  );
}

/** The JSON-RPC answer of a response, JSON or SSE alike (the last message of a stream). */
async function answerOf(response: Response): Promise<Record<string, any>> {
  const text = await response.text();
  return response.headers.get("Content-Type")?.includes("text/event-stream")
    ? sseMessages(text).at(-1)!
    : JSON.parse(text);
}

describe("tasks, 2026-07-28: the extension", () => {
  it("is announced in server/discover", async () => {
    const { result } = await answerOf(await modern(1, "server/discover", {}, { tasks: false }));
    expect(result.capabilities.extensions).toMatchObject({ [TASKS]: {} });
  });

  it("answers a call done within the window as a plain result, with its progress", async () => {
    const response = await modern(2, "tools/call", {
      name: "chat_completion",
      arguments: { prompt: "x", model: "stand-in/slow-5-10" },
      _meta: { progressToken: 9 },
    });
    const messages = sseMessages(await response.text());
    const answer = messages.at(-1)!;
    expect(answer.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: tokens(5) }] });
    expect(messages.filter((m) => m.method === "notifications/progress").at(-1)?.params).toMatchObject({
      progressToken: 9,
      progress: 5,
      total: 5,
    });
  });

  it("answers a call still working after the window as a task, polled to its result with tasks/get", async () => {
    const answer = await answerOf(
      await modern(3, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-10-100" },
      }),
    );
    expect(answer.result).toMatchObject({
      resultType: "task",
      status: "working",
      ttlMs: expect.any(Number),
      pollIntervalMs: expect.any(Number),
    });
    expect(answer.result.statusMessage).toContain("stand-in/slow-10-100");
    const taskId: string = answer.result.taskId;
    let task: Record<string, any>;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      task = (await answerOf(await modern(4, "tasks/get", { taskId }))).result;
      expect(task.resultType).toBe("complete");
    } while (task.status === "working");
    expect(task).toMatchObject({
      status: "completed",
      result: { content: [{ type: "text", text: tokens(10) }], structuredContent: { text: tokens(10) } },
    });
  });

  it("runs a call that also asks for background as the task it becomes, to its answer", async () => {
    // A host that declares Tasks, whose model follows chat_completion's description ("pass background: true").
    const done = await answerOf(
      await modern(20, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-3-10", background: true },
      }),
    );
    expect(done.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: tokens(3) }] });
    expect(done.result).not.toHaveProperty("isError");
    const answer = await answerOf(
      await modern(21, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-6-100", background: true },
      }),
    );
    const taskId: string = answer.result.taskId;
    let task: Record<string, any>;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      task = (await answerOf(await modern(22, "tasks/get", { taskId }))).result;
    } while (task.status === "working");
    expect(task).toMatchObject({ status: "completed", result: { content: [{ type: "text", text: tokens(6) }] } });
    expect(task.result).not.toHaveProperty("isError");
  });

  it("never answers a task to a request that did not declare the extension", async () => {
    const answer = await answerOf(
      await modern(
        5,
        "tools/call",
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-8-100" } },
        { tasks: false },
      ),
    );
    expect(answer.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: tokens(8) }] });
    for (const method of ["tasks/get", "tasks/update", "tasks/cancel"]) {
      // The revision: "On HTTP, the response status MUST be 400 Bad Request" for -32021.
      const response = await modern(6, method, { taskId: "a".repeat(32) }, { tasks: false });
      expect(response.status).toBe(400);
      const refused = await answerOf(response);
      expect(refused.error).toMatchObject({
        code: -32021,
        data: { requiredCapabilities: { extensions: { [TASKS]: {} } } },
      });
    }
  });

  it("keeps a task to its key, acknowledges tasks/update, and needs Mcp-Name to name the task", async () => {
    const { result } = await answerOf(
      await modern(7, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-10-100" },
      }),
    );
    const taskId: string = result.taskId;
    expect((await answerOf(await modern(8, "tasks/get", { taskId }, { key: OTHER_KEY }))).error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/Task not found/),
    });
    expect((await answerOf(await modern(9, "tasks/update", { taskId, inputResponses: {} }))).result).toMatchObject({
      resultType: "complete",
    });
    const misnamed = await post(
      worker.mcpUrl,
      rpc(10, "tasks/get", {
        taskId,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": MODERN,
          "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
          "io.modelcontextprotocol/clientCapabilities": { extensions: { [TASKS]: {} } },
        },
      }),
      { protocolVersion: MODERN, key: VALID_KEY, headers: { "Mcp-Method": "tasks/get", "Mcp-Name": "another-task" } },
    );
    expect(misnamed.status).toBe(400);
    expect((await misnamed.json()).error.code).toBe(-32020);
  });

  it("cancels: acknowledged, the upstream stream cut, the task cancelled", async () => {
    const before = standIn.chatRequests().length;
    const { result } = await answerOf(
      await modern(11, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/slow-100-100" },
      }),
    );
    const upstream = standIn.chatRequests()[before]!;
    expect((await answerOf(await modern(12, "tasks/cancel", { taskId: result.taskId }))).result).toMatchObject({
      resultType: "complete",
    });
    expect(await upstream.whenClosed).toBe("client-closed");
    expect((await answerOf(await modern(13, "tasks/get", { taskId: result.taskId }))).result.status).toBe("cancelled");
  });
});

describe("tasks, 2026-07-28: a client gone inside the window", () => {
  const patient = useWorker({ TASK_WINDOW_MS: "10000" }, { standIn });

  it("cancels the call, since it never learned the task's id", async () => {
    const before = standIn.chatRequests().length;
    const response = await modern(
      14,
      "tools/call",
      { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-100-100" } },
      { url: patient.mcpUrl },
    );
    while (standIn.chatRequests().length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    await response.body?.cancel();
    expect(await standIn.chatRequests()[before]!.whenClosed).toBe("client-closed");
  });
});

describe("tasks, 2026-07-28: past the per-key bound", () => {
  const bounded = useWorker({ MAX_TASKS_PER_KEY: "1", TASK_WINDOW_MS: "300" }, { standIn });

  it("serves the call as an ordinary one: the client declared Tasks, it did not ask for one", async () => {
    const url = bounded.mcpUrl;
    const first = await answerOf(
      await modern(
        30,
        "tools/call",
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-100-100" } },
        { url },
      ),
    );
    expect(first.result).toMatchObject({ resultType: "task", status: "working" });
    try {
      const second = await answerOf(
        await modern(
          31,
          "tools/call",
          { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-3-10" } },
          { url },
        ),
      );
      expect(second.error).toBeUndefined();
      expect(second.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: tokens(3) }] });
    } finally {
      await modern(32, "tasks/cancel", { taskId: first.result.taskId }, { url });
    }
  });
});

describe("tasks, 2026-07-28: the ext-tasks client library", () => {
  it("calls a tool through a task session and settles on the exact result", async () => {
    const headers = { Authorization: `Bearer ${VALID_KEY}` };
    const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: { pin: MODERN } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(worker.mcpUrl), { requestInit: { headers } }));
    // The SDK client's own codecs do not carry task wire shapes: the library frames them, and
    // this dispatch sends each one as the 2026-07-28 transport asks.
    let nextId = 1;
    const rawDispatch: RawClientDispatch = async (request) => {
      const message = request as { method: string; params?: { name?: string; taskId?: string } };
      const name = message.params?.name ?? message.params?.taskId;
      const response = await post(
        worker.mcpUrl,
        { jsonrpc: "2.0", id: nextId++, ...message },
        {
          protocolVersion: MODERN,
          key: VALID_KEY,
          headers: { "Mcp-Method": message.method, ...(name ? { "Mcp-Name": name } : {}) },
        },
      );
      const answer = await answerOf(response);
      return answer.error ? { kind: "error", error: answer.error } : { kind: "result", result: answer.result };
    };
    const session = createTaskSessionFromClient(client, {
      endpointId: "openrouter-mcp-test",
      rawDispatch,
      v2RequestFraming: { protocolVersion: MODERN, clientInfo: CLIENT_INFO, clientCapabilities: {} },
    });
    try {
      expect(client.getProtocolEra()).toBe("modern");
      const execution = await session.callTool("chat_completion", { prompt: "x", model: "stand-in/slow-10-100" });
      expect(execution.kind).toBe("task");
      const { outcome } = await execution.settle();
      expect(resultFromTaskOutcome(outcome)).toMatchObject({ content: [{ type: "text", text: tokens(10) }] });
    } finally {
      await session.close();
      await client.close();
    }
  });
});
