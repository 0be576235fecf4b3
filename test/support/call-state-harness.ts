// One durable call's state (src/durable/call-state.ts) on a fake clock, over an in-memory storage
// that counts what it is asked: the harness of the call-state unit tests.
import { CallState, type CallStorage } from "../../src/durable/call-state.js";
import type { StoredCall, TaskOutcome } from "../../src/durable/task.js";
import type { CallToolResult } from "../../src/tool-result.js";
import { FakeClock } from "./fake-clock.js";

class MemoryStorage implements CallStorage {
  stored: StoredCall | undefined;
  outcome: TaskOutcome | undefined;
  alarm: number | undefined;
  writes = 0;
  outcomeReads = 0;
  /** The text's saved pieces, by index. */
  texts = new Map<number, string>();
  saveText(index: number, text: string): void {
    this.texts.set(index, text);
  }
  readText(): string {
    return [...this.texts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, text]) => text)
      .join("");
  }
  dropText(): void {
    this.texts.clear();
  }
  read(): StoredCall | undefined {
    return this.stored && structuredClone(this.stored);
  }
  write(call: StoredCall): void {
    this.writes++;
    this.stored = structuredClone(call);
  }
  readOutcome(): TaskOutcome | undefined {
    this.outcomeReads++;
    return this.outcome && structuredClone(this.outcome);
  }
  writeOutcome(outcome: TaskOutcome): void {
    this.outcome = structuredClone(outcome);
  }
  async erase(): Promise<void> {
    this.stored = this.outcome = undefined;
    this.alarm = undefined;
    this.texts.clear();
  }
  async wakeAt(at: number): Promise<void> {
    this.alarm = at;
  }
}

export const ORDER = {
  taskId: "t".repeat(32),
  owner: "owner-hash",
  retentionMs: 3_600_000,
  progressToken: 7,
  model: "m",
};
export const RESULT: CallToolResult = {
  content: [{ type: "text", text: "hello" }],
  structuredContent: { text: "hello", model: "m" },
};

export function setUp() {
  const clock = new FakeClock();
  const storage = new MemoryStorage();
  const state = new CallState(storage, clock, 100);
  return { clock, storage, state };
}
