// What a durable call is, in words both protocol eras map from (src/mcp/tasks.ts does the
// mapping): its status, what it ended with, and how long it is kept. A durable call runs in a
// Durable Object of its own (durable-call.ts) so that it outlives the request that started it.
import { randomToken } from "../encoding.js";
import type { CallToolResult } from "../tool-result.js";
import type { Caller } from "../trace.js";

export type TaskStatus = "working" | "completed" | "failed" | "cancelled";

export type TaskOutcome =
  /** The tool answered (an answer, or a tool error such as "out of credits"). */
  | { kind: "result"; result: CallToolResult }
  /**
   * The call could not finish: the server lost it (a deploy, a crash) or failed inside. Each era
   * answers it as a JSON-RPC internal error (mcp/tasks.ts), `text` as the error's data.
   */
  | { kind: "failed"; message: string; text?: string };

export interface TaskSnapshot {
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
  /** Once the call has ended (not for a cancelled one). */
  outcome?: TaskOutcome;
  /** The progress token of the request that started the call, when it sent one. */
  progressToken?: string | number;
  /** The model asked for, when the tool names one. */
  model?: string;
  /** While working, when asked for: the answer so far and the tokens counted so far. */
  partial?: { text: string; tokens: number };
}

/**
 * What a call's object keeps in storage, under one key: the task less what is derived when a
 * snapshot is taken (ttlMs, pollIntervalMs), and who owns it and how long it is kept. Never the
 * key, never the arguments.
 */
export type StoredCall = Omit<TaskSnapshot, "ttlMs" | "pollIntervalMs"> & {
  owner: string;
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
  /** The model asked for, shown while the call works. */
  model?: string;
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

export function isTerminal(status: TaskStatus): boolean {
  return status !== "working";
}
