// Unit tests of src/mcp/progress.ts: when a progress notification goes out, and what it says,
// on a fake clock (no real waiting).
import { describe, expect, it } from "vitest";
import { ProgressNotifier } from "../../src/mcp/progress.js";
import { NO_PROGRESS } from "../../src/tools/tool.js";
import { FakeClock } from "../support/fake-clock.js";

const INTERVAL = 100;

/** A notifier on a fake clock, and the params of every notification it sent. */
function notifier(token: string | number = "t", total?: number) {
  const clock = new FakeClock();
  const sent: Array<Record<string, unknown>> = [];
  const progress = new ProgressNotifier(
    token,
    total,
    INTERVAL,
    (notification) => {
      expect(notification).toMatchObject({ jsonrpc: "2.0", method: "notifications/progress" });
      sent.push(JSON.parse(JSON.stringify(notification.params)));
    },
    clock,
  );
  return { clock, sent, progress };
}

const say = (count: number) => `${count} tokens`;

describe("ProgressNotifier", () => {
  it("sends the first report at once, holding back the newest unit (it might be the last)", () => {
    const { sent, progress } = notifier(7);
    progress.report(1, say);
    expect(sent).toEqual([{ progressToken: 7, progress: 0, message: "0 tokens" }]);
  });

  it("coalesces reports within an interval into one, sent when the interval ends", async () => {
    const { clock, sent, progress } = notifier();
    progress.report(1, say);
    for (let count = 2; count <= 50; count++) progress.report(count, say);
    expect(sent).toHaveLength(1);
    await clock.advance(INTERVAL - 1);
    expect(sent).toHaveLength(1);
    await clock.advance(1);
    expect(sent.map((p) => p.progress)).toEqual([0, 49]);
    expect(sent[1]!.message).toBe("49 tokens");
  });

  it("sends a report at once when the interval has passed since the last one", async () => {
    const { clock, sent, progress } = notifier();
    progress.report(1, say);
    await clock.advance(INTERVAL * 3);
    progress.report(2, say);
    expect(sent.map((p) => p.progress)).toEqual([0, 1]);
  });

  it("carries total while streaming when it is known, and ends with the final count as progress and total", async () => {
    const { clock, sent, progress } = notifier("t", 100);
    progress.report(1, say);
    progress.report(2, say);
    await clock.advance(INTERVAL);
    progress.report(3, say);
    progress.complete();
    expect(sent).toEqual([
      { progressToken: "t", progress: 0, total: 100, message: "0 tokens" },
      { progressToken: "t", progress: 1, total: 100, message: "1 tokens" },
      { progressToken: "t", progress: 3, total: 3, message: "3 tokens" },
    ]);
    expect(clock.pending).toBe(0);
  });

  it("never sends a count twice, nor one lower than the last", async () => {
    const { clock, sent, progress } = notifier();
    progress.report(1, say);
    progress.report(1, say);
    await clock.advance(INTERVAL);
    expect(sent).toHaveLength(1);
  });

  it("asks the tool to describe only the counts it sends, with the latest describe", async () => {
    const { clock, progress } = notifier();
    const asked: string[] = [];
    const phase = (name: string) => (count: number) => (asked.push(`${name} ${count}`), name);
    progress.report(1, phase("thinking"));
    for (let count = 2; count <= 10; count++) progress.report(count, phase(count < 6 ? "thinking" : "writing"));
    await clock.advance(INTERVAL);
    expect(asked).toEqual(["thinking 0", "writing 9"]);
  });

  it("sends nothing when nothing was reported, and nothing after stop", async () => {
    const quiet = notifier();
    quiet.progress.complete();
    expect(quiet.sent).toEqual([]);

    const { clock, sent, progress } = notifier();
    progress.report(1, say);
    progress.report(2, say);
    progress.stop();
    expect(clock.pending).toBe(0);
    await clock.advance(INTERVAL * 10);
    progress.report(3, say);
    progress.complete();
    expect(sent).toHaveLength(1);
  });

  it("NO_PROGRESS takes reports and does nothing", () => {
    expect(() => NO_PROGRESS.report(1, say)).not.toThrow();
  });
});
