// Unit tests of src/tools/call-log.ts's reading of a call's arguments: the model it names, logged
// only when it is a model id. (test/tools/call-log.test.ts drives whole calls through the Worker.)
import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../src/clock.js";
import { CallLog } from "../../src/tools/call-log.js";
import { FakeClock } from "../support/fake-clock.js";

afterEach(() => void vi.restoreAllMocks());

/** The line a call with these arguments writes when it ends. */
function lineFor(args: unknown): Record<string, unknown> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  new CallLog("chat_completion", args, { era: "legacy" }, systemClock).end("refused");
  const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
  log.mockRestore();
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe("CallLog's model_asked", () => {
  it("is the model the arguments name, when it is a model id", () => {
    expect(lineFor({ prompt: "x", model: "vendor/model-1.5:free" })).toMatchObject({
      model_asked: "vendor/model-1.5:free",
      ended: "refused",
    });
    expect(lineFor({ model: `${"v".repeat(100)}/${"m".repeat(100)}` }).model_asked).toBe(
      `${"v".repeat(100)}/${"m".repeat(100)}`,
    );
  });

  it("is absent when the arguments name none, or something that is no model id", () => {
    for (const args of [
      undefined,
      null,
      "vendor/model",
      ["vendor/model"],
      {},
      { model: 7 },
      { model: null },
      { model: ["vendor/model"] },
      { model: { id: "vendor/model" } },
      { model: "<script>" },
      { model: "vendor/model\n" },
      { model: "no-slash" },
      { model: `${"v".repeat(101)}/model` },
      { model: `vendor/${"m".repeat(1_000_000)}` },
    ]) {
      expect(lineFor(args)).not.toHaveProperty("model_asked");
    }
  });
});

describe("CallLog's timings", () => {
  it("are read from its clock: time to the first token, and the call's whole duration", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const clock = new FakeClock();
    const call = new CallLog("chat_completion", { prompt: "x" }, { era: "legacy" }, clock);
    const progress = call.watch({ report() {} });
    await clock.advance(250);
    progress.report(1, () => "");
    await clock.advance(1000);
    progress.report(2, () => "");
    await clock.advance(750);
    call.end("failed");
    const line = JSON.parse(String(log.mock.calls[0]![0])) as Record<string, unknown>;
    expect(line).toMatchObject({ ttft_ms: 250, duration_ms: 2000 });
  });
});
