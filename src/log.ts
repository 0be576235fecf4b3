// Unexpected errors, reported one way: a JSON line on the error log (console.error; Workers Logs
// indexes its fields, `wrangler tail` shows it), written once, where the error is answered with
// the protocol's internal error. It says what failed (a request's method, a durable call's
// tool), where (the step, and the code's own stack frames) and the request's trace id when it
// sent one. Never the error's message: a message may quote what the code was reading (a JSON.parse
// error quotes its text), and so a prompt, an answer or a key.

export interface Failure {
  /** What was being done: a JSON-RPC method, a tool's name. */
  what: string;
  /** The step that failed: "dispatch", "relay", "durable call". */
  where: string;
  /** From the request's traceparent, when it sent one. */
  traceId?: string | undefined;
}

/** How many stack frames a line keeps: enough to find the place, not a whole trace per error. */
const FRAMES = 8;

export function logUnexpected(error: unknown, { what, where, traceId }: Failure): void {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frames = stack
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at "))
    .slice(0, FRAMES);
  console.error(
    JSON.stringify({
      event: "unexpected_error",
      what,
      where,
      trace_id: traceId,
      error: error instanceof Error ? error.name : typeof error,
      frames,
    }),
  );
}
