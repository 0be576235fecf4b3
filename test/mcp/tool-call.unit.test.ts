// The tool-call owner (src/mcp/tool-call.ts) starting a durable call without Durable Objects: the
// caller's ledger is told the task's creation time from the caller's clock, as every other time
// in a request is read.
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import type { DurableBindings } from "../../src/durable/bindings.js";
import { DurableCalls } from "../../src/durable/calls.js";
import type { CallOrder } from "../../src/durable/task.js";
import { callTool } from "../../src/mcp/tool-call.js";
import { standInBindings } from "../support/durable-namespaces.js";
import { FakeClock } from "../support/fake-clock.js";

/** Namespaces whose one object each answers from memory; the ledger notes each creation time it is given. */
function fakeBindings(createdAts: number[]): DurableBindings {
  const ledger = {
    admit: async (_owner: string, _taskId: string, createdAt: number) => {
      createdAts.push(createdAt);
      return { ok: true };
    },
  };
  const call = {
    start: async (order: CallOrder) => ({
      taskId: order.taskId,
      status: "working",
      statusMessage: "",
      createdAt: 0,
      lastUpdatedAt: 0,
      ttlMs: 0,
      pollIntervalMs: 0,
    }),
  };
  return standInBindings(
    () => call,
    () => ledger,
  );
}

describe("a durable call's start", () => {
  it("gives the ledger the task's creation time on the caller's clock", async () => {
    const clock = new FakeClock();
    await clock.advance(90_000);
    const createdAts: number[] = [];
    const key = "sk-or-v1-background-unit";
    const params = { name: "chat_completion", arguments: { prompt: "x", model: "vendor/model", background: true } };
    const started = await callTool(
      { kind: "request", id: 1, method: "tools/call", params },
      {
        era: "legacy",
        protocolVersion: "2025-11-25",
        config: readConfig({}),
        key,
        calls: new DurableCalls(fakeBindings(createdAts), key),
        origin: "http://localhost:8787",
        signal: new AbortController().signal,
        waitUntil: () => {},
        view: async () => undefined,
        clock,
      },
    );
    // Started: the answer gives the completion's id, not an error.
    expect(started).toMatchObject({
      kind: "answer",
      answer: { result: { structuredContent: { completion: { status: "working" } } } },
    });
    expect(createdAts).toEqual([clock.now()]);
  });
});
