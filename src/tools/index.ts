// The tools this server offers, and the contract each one keeps. dispatch.ts finds tools here:
// a new tool is one module exporting a `Tool`, and one line in TOOLS.
import type { AuthFailure } from "../auth/bearer.js";
import type { Config } from "../config.js";
import type { Progress } from "../mcp/progress.js";
import { chatCompletion } from "./chat-completion.js";
import { listModels } from "./list-models.js";

export interface Tool {
  name: string;
  /** The tool as `tools/list` shows it, serialised (cache it: it is sent on every list). */
  definitionJson(config: Config): string;
  /** Validates the arguments and starts the call; `rawArguments` is untrusted client input. */
  call(rawArguments: unknown, context: ToolCallContext): Promise<ToolStart>;
}

export interface ToolCallContext {
  config: Config;
  /** The person's OpenRouter key, from the Authorization header. */
  key: string | undefined;
  /** The Worker's origin, sent upstream for attribution. */
  origin: string;
  /** Aborted when the client goes away: cancel upstream work with it. */
  signal: AbortSignal;
}

/** How a call goes on: a result now, a 401 for the person's key, or a result that streams. */
export type ToolStart =
  /** A CallToolResult, serialised (tool errors too: `isError: true`). */
  | { kind: "result"; resultJson: string }
  | { kind: "unauthorized"; reason: AuthFailure }
  /**
   * `relay` works to the end, telling `progress` how far it is, and resolves to the
   * CallToolResult. `progressTotal` is the count expected at the end, when known.
   */
  | { kind: "stream"; progressTotal: number | undefined; relay: (progress: Progress) => Promise<string> };

/** In `tools/list` order. */
export const TOOLS: readonly Tool[] = [chatCompletion, listModels];

export function findTool(name: string): Tool | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

/** The `tools` array of a `tools/list` result, serialised. */
export function toolListJson(config: Config): string {
  return `[${TOOLS.map((tool) => tool.definitionJson(config)).join(",")}]`;
}
