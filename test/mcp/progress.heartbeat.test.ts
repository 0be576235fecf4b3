// Silence is not idleness (issue 27 §2), end to end: a model that says nothing for seconds
// (stand-in/silent-N: OpenRouter's processing comments only) keeps an SDK client that resets its
// timeout on progress waiting, because a heartbeat goes out at least every PROGRESS_HEARTBEAT_MS,
// saying what is happening and for how long. The same for a background call's get_completion.
// Scaled down: a heartbeat a second, a client that gives up after 2.5 s, a model silent for 5 s
// (`npm run demo` has the real scale: docs/tools.md, "Long answers").
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { connectSdkClient } from "../support/sdk-client.js";

const { worker } = useWorkerWithStandIn({ PROGRESS_HEARTBEAT_MS: "1000", UPSTREAM_IDLE_TIMEOUT_MS: "3000" });

const connect = () => connectSdkClient(worker.mcpUrl, VALID_KEY, "heartbeat-test");

const increasing = (progress: Progress[]) =>
  progress.every((p, i) => i === 0 || p.progress > progress[i - 1]!.progress);

describe("a silent model", { timeout: 30_000 }, () => {
  it("keeps a client that resets its timeout on progress waiting, and the call completes", async () => {
    const client = await connect();
    try {
      const progress: Progress[] = [];
      const result = await client.callTool(
        { name: "chat_completion", arguments: { prompt: "take your time", model: "stand-in/silent-5" } },
        undefined,
        { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 2500 },
      );
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ text: "Echo: take your time", finish_reason: "stop" });
      const silent = progress.filter((p) => p.message?.includes("thinking (hidden)"));
      expect(silent.length).toBeGreaterThanOrEqual(3);
      expect(silent.at(-1)!.message).toMatch(/^stand-in\/silent-5 · thinking \(hidden\) · [3-5]s$/);
      expect(increasing(progress)).toBe(true);
      expect(progress.at(-1)!.progress).toBe(progress.at(-1)!.total); // the bar ends full
    } finally {
      await client.close();
    }
  });

  it("is given up on by a client that does not reset its timeout, as it would be without heartbeats", async () => {
    const client = await connect();
    try {
      const call = client.callTool(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/silent-5" } },
        undefined,
        { onprogress: () => {}, timeout: 2500 },
      );
      await expect(call).rejects.toThrow(/timed out/i);
    } finally {
      await client.close();
    }
  });

  it("sends heartbeats to get_completion waiting on a background call, with the words of the call's object", async () => {
    const client = await connect();
    try {
      const started = await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "later", model: "stand-in/silent-5", background: true },
      });
      const id = (started.structuredContent as { completion: { id: string } }).completion.id;
      const progress: Progress[] = [];
      const result = await client.callTool({ name: "get_completion", arguments: { id, wait: 20 } }, undefined, {
        onprogress: (p) => progress.push(p),
        resetTimeoutOnProgress: true,
        timeout: 2500,
      });
      expect(result.structuredContent).toMatchObject({ text: "Echo: later" });
      expect(progress.filter((p) => p.message?.includes("thinking (hidden)")).length).toBeGreaterThanOrEqual(3);
      expect(increasing(progress)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
