// chat_completion called as the feature tests call it: one JSON answer, with a key the stand-in
// accepts, and the stand-in's view of what went upstream.
import { expect } from "vitest";
import { VALID_KEY, type StandIn } from "../../stand-in/openrouter.js";
import { post, rpc } from "./http.js";
import type { RunningWorker } from "./worker.js";

export type Block = {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  title?: string;
};
export type Result = { content: Block[]; structuredContent: Record<string, any>; isError?: boolean };

/** A base64 data URL of `bytes` bytes of a given type. */
export const dataUrl = (type: string, bytes: number) =>
  `data:${type};base64,${Buffer.alloc(bytes, 1).toString("base64")}`;

export function chatCompletionCalls(worker: RunningWorker, standIn: StandIn) {
  /** The body of the last request the stand-in received. */
  const lastBody = () => standIn.chatRequests().at(-1)!.body as Record<string, any>;

  async function complete(args: Record<string, unknown>): Promise<Result> {
    const res = await post(worker.mcpUrl, rpc(1, "tools/call", { name: "chat_completion", arguments: args }), {
      accept: "application/json",
      key: VALID_KEY,
    });
    expect(res.status).toBe(200);
    return (await res.json()).result;
  }

  /** The call is a tool error matching `expected`, and nothing went upstream. */
  async function refused(args: Record<string, unknown>, expected: RegExp): Promise<void> {
    const sent = standIn.chatRequests().length;
    const result = await complete(args);
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(expected);
    expect(standIn.chatRequests().length).toBe(sent); // refused before anything went upstream
  }

  return { lastBody, complete, refused };
}
