// What a durable call is, in words both protocol eras map from (src/mcp/tasks.ts does the
// mapping): its status, what it ended with, and how long it is kept. A durable call runs in a
// Durable Object of its own (durable-call.ts) so that it outlives the request that started it.
import { randomToken } from "../encoding.js";
import type { CallToolResult } from "../tool-result.js";
import type { Caller } from "../trace.js";

export type TaskStatus = "working" | "completed" | "failed" | "cancelled";

export type TaskOutcome =
  /**
   * The tool answered: an answer (the call is completed), or a tool error such as "out of
   * credits" (the call has failed).
   */
  | { kind: "result"; result: CallToolResult }
  /**
   * The call could not finish: the server lost it (a deploy, a crash) or failed inside. Each era
   * answers it as a JSON-RPC internal error (mcp/tasks.ts), the text kept as the error's data.
   */
  | { kind: "failed"; message: string; kept?: KeptText }
  /** The call was cancelled by request: the text written until then is kept (the person paid for it). */
  | { kind: "cancelled"; kept?: KeptText };

/**
 * The answer's text as far as it went, and the tokens counted until then. A durable call keeps at
 * most KEPT_TEXT_BYTES of it (call-state.ts): `cut` when there was more.
 */
export interface KeptText {
  text: string;
  tokens: number;
  cut?: true;
}

/** What a list of tasks shows of each: no outcome, no answer so far (durable-call.ts's summary). */
export interface TaskSummary {
  taskId: string;
  status: TaskStatus;
  /** What a person would want to read about the call now (the progress line while working). */
  statusMessage: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastUpdatedAt: number;
  /** How long after createdAt the task is kept: it grows while the call works. */
  ttlMs: number;
  /** How often a client should poll. */
  pollIntervalMs: number;
}

export interface TaskSnapshot extends TaskSummary {
  /** Once the call has ended. */
  outcome?: TaskOutcome;
  /** The progress token of the request that started the call, when it sent one. */
  progressToken?: string | number;
  /** What the call's status names: the model asked for (the tool, for a tool that names none). */
  model: string;
  /** While working, when asked for: the answer so far and the tokens counted so far. */
  partial?: KeptText;
}

/**
 * What a call's object keeps in storage, under one key: the task less what is derived when a
 * snapshot is taken (ttlMs, pollIntervalMs), and who owns it and how long it is kept. The outcome
 * (up to a whole answer) is kept under a key of its own, so that what lists and counts calls
 * never reads it. Never the key, never the arguments.
 */
export type StoredCall = Omit<TaskSnapshot, "ttlMs" | "pollIntervalMs" | "partial" | "outcome"> & {
  owner: string;
  /** While working: the tokens counted when the text so far was last saved (the text is saved apart). */
  savedTokens?: number;
  endedAt?: number;
  retentionMs: number;
};

/** What the Worker hands a Durable Object to start a call. The key stays in memory only. */
export interface CallOrder {
  taskId: string;
  /** SHA-256 (hex) of the OpenRouter key: who may see this task. */
  owner: string;
  /** The tool to run, and its arguments (already validated by the Worker, validated again). */
  tool: string;
  arguments: unknown;
  /** The OpenRouter key the call is paid with: never written to storage. */
  key: string;
  /** The Worker's origin, sent upstream for attribution. */
  origin: string;
  progressToken?: string | number;
  /** The model asked for (or the tool), shown while the call works and in how it ended. */
  model: string;
  /** How long the task is kept once it has ended. */
  retentionMs: number;
  /** Who asked (client, era, key fingerprint, trace), for the call's log line; in memory only. */
  caller?: Caller | undefined;
  /** Started by chat_completion's background argument rather than as an MCP task. */
  background?: true | undefined;
}

/** One update a follower of a call receives: progress while it works, then its end. */
export type CallEvent = { kind: "progress"; count: number; message: string } | { kind: "end"; snapshot: TaskSnapshot };

/** Task ids: 192 random bits in base64url (32 characters), so that nobody can guess one. */
export function newTaskId(): string {
  return randomToken(24);
}

/** A task id as newTaskId writes them: anything else names no task, and is never looked up. */
export function isTaskId(value: unknown): value is string {
  return typeof value === "string" && /^[\w-]{32}$/.test(value);
}

/**
 * A tasks/list cursor: a creation time (ms) and a task id, the place in the list (newest first,
 * then by id) after which the next page starts.
 */
export const LIST_CURSOR = /^(\d{1,15})\.([\w-]{32})$/;

/** The longest status line a task shows (tasks/get, tasks/list); the lines a call writes are shorter. */
const MAX_STATUS_CHARS = 256;

/** A status line within MAX_STATUS_CHARS. */
export function shortened(message: string): string {
  if (message.length <= MAX_STATUS_CHARS) return message;
  // Never half a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(message[MAX_STATUS_CHARS - 2]!) ? MAX_STATUS_CHARS - 2 : MAX_STATUS_CHARS - 1;
  return `${message.slice(0, end)}…`;
}

export function isTerminal(status: TaskStatus): boolean {
  return status !== "working";
}

/**
 * The status message of a finished call: how it ended, in a line, naming the model the call asked
 * for (or the one that answered): "Done: openai/gpt-4o-mini · 12 tokens · $0.00002." or, for a tool
 * error, its reason in words ("openai/gpt-4o-mini · failed: Out of credits for this key. …"), which
 * is all a client that never reads the result (the SDK's task stream for a failed task) can show.
 */
export function summaryOf(result: CallToolResult, asked: string): string {
  const structured = result.structuredContent as
    { model?: unknown; error?: unknown; usage?: { completion_tokens?: unknown; cost?: unknown } } | undefined;
  const model = typeof structured?.model === "string" && structured.model !== "" ? structured.model : asked;
  const tokens = structured?.usage?.completion_tokens;
  const cost = structured?.usage?.cost;
  const parts = [
    model,
    typeof tokens === "number" && (tokens > 0 || !result.isError) ? `${tokens} tokens` : undefined,
    typeof cost === "number" && (cost > 0 || !result.isError) ? `$${cost}` : undefined,
  ].filter(Boolean);
  if (!result.isError) return `Done: ${parts.join(" · ")}.`;
  const texts = result.content.flatMap((block) => (block.type === "text" ? [block.text] : []));
  // A failed answer's text comes first and its reason last; a refusal has the reason alone.
  const reason = typeof structured?.error === "string" ? structured.error : (texts.at(-1) ?? "no reason given");
  return `${parts.join(" · ")} · failed: ${reason.replace(/\s+/g, " ").trim()}`;
}
