// startDurable (src/tools/background.ts) without Durable Objects: the caller's ledger is told the
// task's creation time from the caller's clock, as every other time in a request is read.
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import type { DurableBindings } from "../../src/durable/bindings.js";
import type { CallOrder } from "../../src/durable/task.js";
import { startDurable } from "../../src/tools/background.js";
import { standInBindings } from "../support/durable-namespaces.js";
import { FakeClock } from "../support/fake-clock.js";

/** Namespaces whose one object each answers from memory; the ledger notes each creation time it is given. */
function fakeBindings(createdAts: number[]): DurableBindings {
  const ledger = {
    admit: async (_owner: string, _taskId: string, createdAt: number) => {
      createdAts.push(createdAt);
      return { admitted: true };
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

describe("startDurable", () => {
  it("gives the ledger the task's creation time on the caller's clock", async () => {
    const clock = new FakeClock();
    await clock.advance(90_000);
    const createdAts: number[] = [];
    const started = await startDurable({
      durable: fakeBindings(createdAts),
      config: readConfig({}),
      key: "sk-or-v1-background-unit",
      origin: "http://localhost:8787",
      tool: "chat_completion",
      arguments: { prompt: "x" },
      model: "vendor/model",
      clock,
    });
    expect(started.started).toBe(true);
    expect(createdAts).toEqual([clock.now()]);
  });
});
