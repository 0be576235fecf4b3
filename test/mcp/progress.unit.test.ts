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

describe("ProgressNotifier's heartbeat: silence is not idleness", () => {
  const HEARTBEAT = 15_000;

  /** A notifier whose tool describes what it does and for how long, from the fake clock. */
  function silent(total?: number) {
    const clock = new FakeClock();
    const sent: Array<{ progress: number; total?: number; message: string }> = [];
    const progress = new ProgressNotifier(
      "t",
      total,
      INTERVAL,
      (n) => sent.push(JSON.parse(JSON.stringify(n.params))),
      clock,
      HEARTBEAT,
    );
    const started = clock.now();
    const hidden = () => `o3 · thinking (hidden) · ${Math.round((clock.now() - started) / 1000)}s`;
    return { clock, sent, progress, hidden };
  }

  it("sends one at least every heartbeat while no token comes, each saying for how long, progress strictly increasing", async () => {
    const { clock, sent, progress, hidden } = silent();
    progress.report(0, hidden);
    expect(sent).toEqual([]);
    await clock.advance(HEARTBEAT * 6); // 90 s of silence
    expect(sent.map((p) => p.progress)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sent.map((p) => p.message)).toEqual([15, 30, 45, 60, 75, 90].map((s) => `o3 · thinking (hidden) · ${s}s`));
    // Then the answer: it goes on from there, and ends full.
    const say = (count: number) => `o3 · ${count} tokens`;
    for (let count = 1; count <= 3; count++) progress.report(count, say);
    await clock.advance(INTERVAL);
    progress.complete();
    const counts = sent.map((p) => p.progress);
    expect(counts.every((c, i) => i === 0 || c > counts[i - 1]!)).toBe(true);
    expect(sent.at(-1)).toMatchObject({ progress: 9, total: 9, message: "o3 · 3 tokens" });
    expect(clock.pending).toBe(0);
  });

  it("stays out of the way while notifications flow", async () => {
    const { clock, sent, progress } = silent();
    for (let second = 1; second <= 60; second++) {
      progress.report(second, (count) => `${count} tokens`);
      await clock.advance(1000);
    }
    expect(sent.map((p) => p.progress)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it("beats after a pause in the middle of an answer too, and moves total on with it", async () => {
    const { clock, sent, progress } = silent(100);
    const say = (count: number) => `${count} tokens`;
    progress.report(1, say);
    progress.report(2, say);
    await clock.advance(INTERVAL);
    await clock.advance(HEARTBEAT * 2);
    expect(sent).toEqual([
      { progressToken: "t", progress: 0, total: 100, message: "0 tokens" },
      { progressToken: "t", progress: 1, total: 100, message: "1 tokens" },
      { progressToken: "t", progress: 2, total: 101, message: "1 tokens" },
      { progressToken: "t", progress: 3, total: 102, message: "1 tokens" },
    ]);
  });

  it("says nothing until the tool has described what it does, and ends full after heartbeats alone", async () => {
    const { clock, sent, progress, hidden } = silent();
    await clock.advance(HEARTBEAT * 2);
    expect(sent).toEqual([]);
    progress.report(0, hidden);
    await clock.advance(HEARTBEAT);
    progress.complete();
    expect(sent.map((p) => [p.progress, p.total])).toEqual([
      [0, undefined],
      [1, 1],
    ]);
  });
});
