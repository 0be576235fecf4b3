// The contract every tool keeps, in a module of its own: the tools and the registry that lists
// them (index.ts) both import it, and neither imports the other back.
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { DurableCalls, StartOutcome } from "../durable/calls.js";
import type { CallToolResult, ToolError } from "../tool-result.js";
import type { Caller } from "../trace.js";

export interface Tool {
  name: string;
  /** What the layers below tools/ need to know of its calls: they never name a tool. */
  policy: ToolPolicy;
  /** The tool as `tools/list` shows it (tools/index.ts serialises the list once per config). */
  definition(config: Config): ToolDefinition;
  /** Validates the arguments and starts the call; `rawArguments` is untrusted client input. */
  call(rawArguments: unknown, context: ToolCallContext): Promise<ToolStart>;
  /**
   * For a tool that may run as a durable call (an MCP task): checks the arguments without
   * starting anything, answering the tool error a bad call gets, or undefined when they are good.
   */
  check?(rawArguments: unknown, config: Config): ToolError | undefined;
}

/**
 * What a tool declares about its calls, read before any of its arguments are checked: the
 * transport's key check (transport/bearer.ts), the answer budget (mcp/answer-budget.ts), the
 * rate limits and durable calls read it here instead of testing for a tool's name.
 */
interface ToolPolicy {
  /** A call needs the person's key: without one it is answered 401 in every mode, its arguments unread. */
  needsKey: boolean;
  /**
   * Every call looks at or steers a durable call: it asks a Durable Object and starts nothing at
   * OpenRouter. It needs a key OpenRouter has verified, in every mode, and is counted with the
   * tasks/ requests (RATE_LIMIT_TASK_REQUESTS), not with the tool calls that spend credit.
   */
  readsDurableCalls: boolean;
  /**
   * Whether a call with these arguments leaves a durable call behind on its own (kept an hour,
   * whatever the client asked of MCP Tasks): it then needs a key OpenRouter has verified. Reads
   * the one field that says so from the untrusted arguments, never the tool's whole schema.
   */
  leavesState(rawArguments: unknown): boolean;
  /** About the most a call's answer takes, in bytes of JSON, for the budget of one request's answers. */
  answerBytes: number;
  /** For a tool that may run durably: what its status line names (chat_completion: the model). */
  statusLabel?(rawArguments: unknown, config: Config): string;
}

/** What a call answering a page or a short text counts for in the answer budget. */
export const SHORT_ANSWER_BYTES = 4 * 1024;

export interface ToolDefinition {
  /** MCP Apps: the view that shows the tool's calls (view.ts); tools/list leaves it out for a client without Apps. */
  _meta?: { ui: { resourceUri: string } };
  name: string;
  title: string;
  description: string;
  inputSchema: unknown;
  outputSchema: unknown;
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

export interface ToolCallContext {
  config: Config;
  /** The person's OpenRouter key, from the Authorization header. */
  key: string | undefined;
  /** The Worker's origin, sent upstream for attribution. */
  origin: string;
  /** Aborted when the client goes away: cancel upstream work with it. */
  signal: AbortSignal;
  /** The caller's durable calls (tasks and background completions): there is one with a key. */
  calls?: DurableCalls | undefined;
  /**
   * Set inside a durable call's object, which runs the call there and then: a tool runs in the
   * foreground whatever its arguments ask of durable calls.
   */
  runsDurably?: true;
  /** Each piece of the answer's text as it streams: a durable call keeps the text so far. */
  onText?: ((text: string) => void) | undefined;
  /** Each image the model makes (a data: URL): a durable call keeps them whole, past the result's size cap. */
  onImage?: ((dataUrl: string) => void) | undefined;
  /** Who asked, and the trace the call belongs to (sent on to OpenRouter as traceparent). */
  caller?: Caller | undefined;
  /** What the call is timed by: OpenRouter's deadlines, the stream's idle timer, progress, a durable call's creation time. */
  clock: Clock;
}

/**
 * What a tool sees while it works. `report` is cheap enough to call per token: it only records.
 * `describe` writes the human-readable message for the count a notification carries, and is
 * called only when one is actually sent (mcp/progress.ts decides when); a tool with phases
 * (thinking, then answering) passes a different `describe` per phase. Counts never go down.
 */
export interface Progress {
  report(count: number, describe: (count: number) => string): void;
}

/** For a call whose client asked for no progress, or whose response cannot carry any (JSON). */
export const NO_PROGRESS: Progress = { report() {} };

/** Why a call needs the person to log in (again): no key came, or OpenRouter refused it. */
export type KeyProblem = "missing" | "rejected";

/** How a call goes on: a result now, a 401 for the person's key, a result that streams, or a durable call. */
export type ToolStart =
  /** A CallToolResult (tool errors too: `isError: true`). */
  | { kind: "result"; result: CallToolResult }
  | { kind: "unauthorized"; reason: KeyProblem }
  /**
   * `relay` works to the end, telling `progress` how far it is, and resolves to the
   * CallToolResult. `progressTotal` is the count expected at the end, when known. `isWhole` says
   * whether a result is the whole answer the progress counted towards, so that progress ends full
   * (total = progress) then only: by default, a result that is no tool error.
   */
  | {
      kind: "stream";
      progressTotal: number | undefined;
      relay: (progress: Progress) => Promise<CallToolResult>;
      isWhole?: (result: CallToolResult) => boolean;
    }
  /**
   * The call is to run durably, in the background: its object runs the tool again with the same
   * arguments (and `runsDurably`). `answer` words the result now, for the call started or
   * refused (the key has too many working).
   */
  | { kind: "background"; answer: (started: StartOutcome) => CallToolResult };
