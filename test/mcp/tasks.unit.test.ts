// Unit tests of src/mcp/tasks.ts: whether a 2026-07-28 request declared the Tasks extension, and
// the bound on a task's size that the answer budget counts on. (test/mcp/tasks.modern.test.ts
// drives it through the running Worker.)
import { describe, expect, it } from "vitest";
import { declaresTasks, legacyTask, modernTask, TASK_BYTES, TASKS_EXTENSION } from "../../src/mcp/tasks.js";

const CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
const declaring = (capabilities: unknown) => ({ name: "chat_completion", _meta: { [CAPABILITIES]: capabilities } });

describe("declaresTasks", () => {
  it("finds the extension under the declared capabilities' extensions, whatever its settings", () => {
    for (const settings of [{}, { any: "thing" }, null, 0, false, "", []]) {
      expect(declaresTasks(declaring({ extensions: { [TASKS_EXTENSION]: settings } }))).toBe(true);
    }
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`x/${i}`, {}]));
    expect(declaresTasks(declaring({ extensions: { ...many, [TASKS_EXTENSION]: {} } }))).toBe(true);
  });

  it("is false when the request declares no extension, or nothing that is one", () => {
    for (const params of [
      undefined,
      {},
      { _meta: {} },
      { _meta: null },
      { _meta: "x" },
      { _meta: [] },
      declaring(undefined),
      declaring(null),
      declaring([]),
      declaring("extensions"),
      declaring({}),
      declaring({ extensions: null }),
      declaring({ extensions: [TASKS_EXTENSION] }),
      declaring({ extensions: TASKS_EXTENSION }),
      declaring({ extensions: { "io.modelcontextprotocol/other": {} } }),
      declaring({ [TASKS_EXTENSION]: {} }),
      { _meta: { extensions: { [TASKS_EXTENSION]: {} } } },
    ]) {
      expect(declaresTasks(params as Record<string, unknown> | undefined)).toBe(false);
    }
  });
});

describe("a task as tasks/get and tasks/list show it", () => {
  it("takes at most TASK_BYTES of JSON, whatever its status line holds", () => {
    for (const statusMessage of ["x".repeat(100_000), "\u0001".repeat(100_000), "😀".repeat(50_000), "short"]) {
      const snapshot = {
        taskId: "a".repeat(32),
        status: "working" as const,
        statusMessage,
        createdAt: Date.UTC(2026, 0, 1),
        lastUpdatedAt: Date.UTC(2026, 0, 1),
        ttlMs: Number.MAX_SAFE_INTEGER,
        pollIntervalMs: 2000,
        model: "m",
      };
      for (const task of [legacyTask(snapshot), modernTask(snapshot)]) {
        expect(JSON.stringify(task).length).toBeLessThanOrEqual(TASK_BYTES);
      }
    }
  });
});

describe("a call that ended with a tool error", () => {
  const refusal = { content: [{ type: "text" as const, text: "Out of credits." }], isError: true as const };
  const snapshot = {
    taskId: "a".repeat(32),
    status: "failed" as const,
    statusMessage: "m · failed: Out of credits.",
    createdAt: 0,
    lastUpdatedAt: 0,
    ttlMs: 1,
    pollIntervalMs: 2000,
    model: "m",
    outcome: { kind: "result" as const, result: refusal },
  };

  it("is a failed task under 2025-11-25 (a tool result with isError fails it there)", () => {
    expect(legacyTask(snapshot)).toMatchObject({ status: "failed", statusMessage: "m · failed: Out of credits." });
  });

  it("is a completed task under 2026-07-28, its isError result inline (the extension's rule)", () => {
    expect(modernTask(snapshot)).toMatchObject({
      status: "completed",
      statusMessage: "m · failed: Out of credits.",
      result: { resultType: "complete", ...refusal },
    });
  });
});
