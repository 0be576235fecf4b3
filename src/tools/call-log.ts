// One structured log line per tool call, as JSON (Workers Logs indexes its fields; `wrangler
// tail` shows it): what was asked and answered, what it cost, how long it took and how it ended,
// and who asked (client, era, key fingerprint, trace). A call run durably logs once more, from
// its Durable Object, with what the model did; the request that started it logs "task" (or the
// background completion's status) and no spend, so that costs add up once.
//
// Only the fields below: never the key, a token, the prompt or the answer
// (test/tools/call-log.test.ts drives calls and holds every line to that).
import * as z from "zod/mini";
import type { Clock } from "../clock.js";
import type { Caller } from "../trace.js";
import type { CallToolResult } from "../tool-result.js";
import type { Progress } from "./tool.js";

/**
 * How a call ended without a result (a result ends "answered", "tool_error" or "cancelled").
 * "failed" is a fault while the answer streamed; one before it (a bug) leaves no line, only the
 * -32603 the client gets.
 */
export type CallEnd = "task" | "refused" | "unauthorized" | "failed";

/**
 * The model a call's arguments name, when it is a model id as chat_completion's schema takes it
 * (bounded for the line): anything else is not logged. Only `model` is read: the arguments are
 * any tool's, valid or not, and the tool has parsed them already.
 */
const modelAsked = z.optional(
  z.object({ model: z.optional(z.string().check(z.regex(/^[\w.:~-]{1,100}\/[\w.:~-]{1,100}$/))) }),
);

/** What chat_completion's structured result (get_completion's too) says, as far as the line reads it. */
interface Answer {
  model?: string;
  provider?: string;
  finish_reason?: string | null;
  /** Numbers only: prompt, completion and reasoning tokens, cost (openrouter/stream.ts reads them so). */
  usage?: Record<string, number>;
  /** Present when the result is about a durable call (started, or fetched by get_completion). */
  completion?: { status: string };
}

export class CallLog {
  private readonly startedAt: number;
  /** Read at once: the arguments (which may hold megabytes of images) are not kept for the line. */
  private readonly modelAsked: string | undefined;
  private firstTokenAt: number | undefined;
  private ended = false;

  constructor(
    private readonly tool: string,
    args: unknown,
    private readonly caller: Caller | undefined,
    /** Times the call (time to first token, duration). */
    private readonly clock: Clock,
    /** Set in a durable call's object: which kind of durable call it runs. */
    private readonly durable?: "task" | "background",
  ) {
    this.startedAt = clock.now();
    this.modelAsked = z.safeParse(modelAsked, args).data?.model;
  }

  /** `progress`, noting when the first token (of thinking or of the answer) came. */
  watch(progress: Progress): Progress {
    return {
      report: (count, describe) => {
        // A count of 0 only says what the tool is doing before anything came.
        if (count > 0) this.firstTokenAt ??= this.clock.now();
        progress.report(count, describe);
      },
    };
  }

  /** Writes the line, once: the first end a call reaches is how it ended. */
  end(outcome: CallToolResult | CallEnd, signal?: AbortSignal): void {
    if (this.ended) return;
    this.ended = true;
    const result = typeof outcome === "string" ? undefined : outcome;
    const answer = result?.structuredContent as Answer | undefined;
    // A result about a durable call reports spend that its own line (from its object) logs.
    const spent = answer?.completion === undefined ? answer : undefined;
    console.log(
      JSON.stringify({
        event: "tool_call",
        tool: this.tool,
        ended:
          result === undefined ? outcome : signal?.aborted ? "cancelled" : result.isError ? "tool_error" : "answered",
        durable: this.durable,
        completion: answer?.completion?.status,
        // Absent when the call named none: the server's DEFAULT_MODEL.
        model_asked: this.modelAsked,
        model: spent?.model,
        provider: spent?.provider,
        finish_reason: spent?.finish_reason,
        ...spent?.usage,
        ttft_ms: this.firstTokenAt === undefined ? undefined : this.firstTokenAt - this.startedAt,
        duration_ms: this.clock.now() - this.startedAt,
        // era, client, client_version, key (fingerprint) and the trace, named as the line names them.
        ...this.caller,
      }),
    );
  }
}
