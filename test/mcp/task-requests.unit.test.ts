// Unit tests of src/mcp/task-requests.ts: what a tasks/ request's params and a task tools/call's
// model are read as, against stand-in Durable Object namespaces that record what is asked of
// them. (test/durable/ drives the same requests through the running Worker and real objects.)
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { DurableCalls } from "../../src/durable/calls.js";
import type { CallOrder, TaskSnapshot, TaskSummary } from "../../src/durable/task.js";
import type { DurableBindings } from "../../src/durable/bindings.js";
import type { DispatchContext } from "../../src/mcp/answers.js";
import { dispatch } from "../../src/mcp/dispatch.js";
import type { Era } from "../../src/mcp/versions.js";
import { chatCompletion } from "../../src/tools/chat-completion.js";
import { standInBindings } from "../support/durable-namespaces.js";
import { FakeClock } from "../support/fake-clock.js";

const TASK_ID = "A".repeat(32);
const config = readConfig({});
const NOT_FOUND = "Task not found. Tasks are kept for a while after they end, and only for the key that started them.";

/** Namespaces whose objects know no task, and an empty ledger; `asked` lists every question put to them. */
function standIn() {
  const asked: { object: string; method: string; args: unknown[] }[] = [];
  const started: CallOrder[] = [];
  const object = (name: string) => ({
    snapshot: async (...args: unknown[]) => void asked.push({ object: name, method: "snapshot", args }),
    cancel: async (...args: unknown[]) => void asked.push({ object: name, method: "cancel", args }),
    list: async (...args: unknown[]) => (
      asked.push({ object: name, method: "list", args }),
      args[0] === undefined ? { taskIds: [] } : undefined
    ),
    admit: async () => ({ ok: true }),
    start: async (order: CallOrder): Promise<TaskSnapshot> => {
      started.push(order);
      return {
        taskId: order.taskId,
        status: "working",
        statusMessage: "",
        createdAt: 0,
        lastUpdatedAt: 0,
        ttlMs: 1,
        pollIntervalMs: 1,
        model: order.model,
      };
    },
  });
  const durable = standInBindings(object);
  return { durable, asked, started };
}

function contextOf(era: Era, durable: DurableBindings): DispatchContext {
  return {
    era,
    protocolVersion: era === "legacy" ? "2025-11-25" : "2026-07-28",
    config,
    calls: new DurableCalls(durable, "unit-test-key"),
    key: "unit-test-key",
    origin: "https://example.test",
    signal: new AbortController().signal,
    waitUntil: () => {},
    view: async () => undefined,
    clock: new FakeClock(),
  };
}

/** What the client declares under 2026-07-28 to use the tasks/ methods. */
const DECLARES_TASKS = {
  "io.modelcontextprotocol/clientCapabilities": { extensions: { "io.modelcontextprotocol/tasks": {} } },
};

/**
 * `method` with `params` through the method table, answered as the result or the error it
 * carries, or undefined when the era has no such method.
 */
async function taskMethod(method: string, params: unknown, context: DispatchContext) {
  const declared =
    context.era === "modern" && (params === undefined || (typeof params === "object" && params !== null))
      ? { ...params, _meta: DECLARES_TASKS }
      : params;
  const dispatched = await dispatch(
    { kind: "request", id: 1, method, params: declared as Record<string, unknown> | undefined },
    context,
  );
  if (dispatched.kind !== "answer") throw new Error(`${method} answered ${dispatched.kind}`);
  const { answer } = dispatched;
  if ("result" in answer) return { result: answer.result };
  return answer.error.code === -32601 ? undefined : { error: answer.error };
}

/** A tools/call asking for a 2025-11-25 task, through the method table. */
function callAsTask(args: unknown, context: DispatchContext) {
  const params = { name: "chat_completion", arguments: args, task: {} };
  return dispatch({ kind: "request", id: 1, method: "tools/call", params }, context);
}

describe("taskMethod's taskId", () => {
  it("looks up a string taskId, and answers an unknown task naming it", async () => {
    const { durable, asked } = standIn();
    const answer = await taskMethod("tasks/get", { taskId: TASK_ID }, contextOf("legacy", durable));
    expect(answer).toEqual({ error: { code: -32602, message: `Failed to retrieve task "${TASK_ID}": ${NOT_FOUND}` } });
    expect(asked).toMatchObject([{ object: TASK_ID, method: "snapshot" }]);
  });

  it("answers an absent or non-string taskId as an unknown task, naming none and asking no object", async () => {
    for (const era of ["legacy", "modern"] as const) {
      for (const method of ["tasks/get", "tasks/cancel", era === "legacy" ? "tasks/result" : "tasks/update"]) {
        for (const params of [
          undefined,
          {},
          { taskId: 7 },
          { taskId: null },
          { taskId: [TASK_ID] },
          { taskId: { id: TASK_ID } },
          { taskId: true },
        ]) {
          const { durable, asked } = standIn();
          expect(await taskMethod(method, params, contextOf(era, durable))).toEqual({
            error: { code: -32602, message: `Failed to retrieve task: ${NOT_FOUND}` },
          });
          expect(asked).toEqual([]);
        }
      }
    }
  });

  it("does not quote a long or hostile taskId back, nor look it up", async () => {
    for (const taskId of ["x".repeat(1_000_000), `${TASK_ID}"`, "a".repeat(65), ""]) {
      const { durable, asked } = standIn();
      const answer = await taskMethod("tasks/get", { taskId }, contextOf("legacy", durable));
      expect(answer).toMatchObject({ error: { code: -32602 } });
      expect(JSON.stringify(answer).length).toBeLessThan(300);
      expect(asked).toEqual([]);
    }
  });
});

describe("taskMethod's tasks/list cursor", () => {
  it("lists from the start without a cursor", async () => {
    for (const params of [undefined, {}, { taskId: 7 }]) {
      const { durable, asked } = standIn();
      expect(await taskMethod("tasks/list", params, contextOf("legacy", durable))).toEqual({ result: { tasks: [] } });
      expect(asked).toMatchObject([{ method: "list", args: [undefined, 20] }]);
    }
  });

  it("refuses a cursor that is not a string, before asking the ledger", async () => {
    for (const cursor of [null, 0, 1, true, [TASK_ID], { cursor: TASK_ID }]) {
      const { durable, asked } = standIn();
      expect(await taskMethod("tasks/list", { cursor }, contextOf("legacy", durable))).toEqual({
        error: { code: -32602, message: "Invalid params: cursor must be a string." },
      });
      expect(asked).toEqual([]);
    }
  });

  it("refuses a string cursor the ledger never gave out", async () => {
    for (const cursor of [TASK_ID, "", "c".repeat(1_000_000)]) {
      const { durable } = standIn();
      expect(await taskMethod("tasks/list", { cursor }, contextOf("legacy", durable))).toEqual({
        error: { code: -32602, message: "Invalid params: this cursor is not one tasks/list gave out." },
      });
    }
  });

  it("is no method of 2026-07-28's", async () => {
    const { durable } = standIn();
    expect(await taskMethod("tasks/list", { cursor: 1 }, contextOf("modern", durable))).toBeUndefined();
  });
});

describe("tasks/list's entries", () => {
  it("asks each call's object for its summary, never a snapshot with the outcome, and lists only the caller's", async () => {
    const mine = "M".repeat(32);
    const theirs = "T".repeat(32);
    const asked: { object: string; method: string; args: unknown[] }[] = [];
    const summary: TaskSummary = {
      taskId: mine,
      status: "completed",
      statusMessage: "Done: m · 300000 tokens.",
      createdAt: 0,
      lastUpdatedAt: 1_000,
      ttlMs: 3_601_000,
      pollIntervalMs: 2000,
    };
    const object = (name: string) => ({
      list: async (...args: unknown[]) => (
        asked.push({ object: name, method: "list", args }),
        { taskIds: [mine, theirs] }
      ),
      forget: async (...args: unknown[]) => void asked.push({ object: name, method: "forget", args }),
      // The object answers the owner's summary only: `theirs` belongs to another key.
      summary: async (...args: unknown[]) => (
        asked.push({ object: name, method: "summary", args }),
        name === mine ? summary : undefined
      ),
      snapshot: async (...args: unknown[]) => void asked.push({ object: name, method: "snapshot", args }),
    });
    const answer = await taskMethod("tasks/list", {}, contextOf("legacy", standInBindings(object)));
    expect(answer).toEqual({
      result: {
        tasks: [
          {
            taskId: mine,
            status: "completed",
            statusMessage: "Done: m · 300000 tokens.",
            createdAt: "1970-01-01T00:00:00.000Z",
            lastUpdatedAt: "1970-01-01T00:00:01.000Z",
            ttl: 3_601_000,
            pollInterval: 2000,
          },
        ],
      },
    });
    expect(asked.map((question) => question.method).sort()).toEqual(["forget", "list", "summary", "summary"]);
    expect(asked.find((question) => question.method === "forget")?.args).toEqual([theirs]);
  });
});

describe("a task tools/call's model", () => {
  const modelOfTask = async (args: unknown) => {
    const { durable, started } = standIn();
    await callAsTask(args, contextOf("legacy", durable));
    return started[0]?.model;
  };
  // Arguments the tool's schema refuses start no task: the label its policy reads for the status
  // line must still never fail on them.
  const labelOf = (args: unknown) => chatCompletion.policy.statusLabel?.(args, config);

  it("is the arguments' model, or the server's default when they name none", async () => {
    expect(await modelOfTask({ prompt: "hi", model: "vendor/model" })).toBe("vendor/model");
    expect(await modelOfTask({ prompt: "hi" })).toBe(config.defaultModel);
    for (const args of [
      { prompt: "hi" },
      undefined,
      null,
      [],
      "vendor/model",
      { prompt: "hi", model: 7 },
      { prompt: "hi", model: ["vendor/model"] },
    ]) {
      expect(labelOf(args)).toBe(config.defaultModel);
    }
  });
});
