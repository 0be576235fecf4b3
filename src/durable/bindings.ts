// The two Durable Object namespaces durable calls use, as wrangler.toml binds them, and what
// the Worker may ask of their objects (Workers RPC). Declared here as interfaces, so that callers
// need not import the classes (which import the tools that run the calls).
import type { CallEvent, CallOrder, TaskSnapshot, TaskStatus } from "./task.js";

/** One object per durable call (durable-call.ts), found by its task id. */
export interface CallObject {
  start(order: CallOrder): Promise<TaskSnapshot>;
  /** undefined: no such task for this owner (never there, expired, or someone else's). */
  snapshot(owner: string, withPartial: boolean): Promise<TaskSnapshot | undefined>;
  /** Resolves when the call ends, or after `ms`, with the task as it is then. */
  wait(owner: string, ms: number, withPartial: boolean): Promise<TaskSnapshot | undefined>;
  /** NDJSON CallEvent lines: progress while the call works, then its end. */
  follow(owner: string): Promise<ReadableStream<Uint8Array> | undefined>;
  /** `cancelled` is false when the call had already ended. */
  cancel(owner: string, reason: string): Promise<{ cancelled: boolean; snapshot: TaskSnapshot } | undefined>;
}

/** One object per caller (the key's hash): which tasks it has, and how many are working. */
export interface LedgerObject {
  /** `owner` is the key hash this ledger is named after. */
  admit(owner: string, taskId: string, createdAt: number, limit: number): Promise<{ admitted: true } | { admitted: false; working: number }>;
  settle(taskId: string, status: TaskStatus): Promise<void>;
  forget(taskId: string): Promise<void>;
  /** undefined: the cursor is not one this ledger gave out. */
  list(cursor: string | undefined, pageSize: number): Promise<{ taskIds: string[]; nextCursor?: string } | undefined>;
}

export interface DurableBindings {
  calls: DurableObjectNamespace;
  ledgers: DurableObjectNamespace;
}

/** The namespaces, when wrangler.toml binds them (every deployment made from this repository does). */
export function durableBindings(env: Partial<Record<string, unknown>>): DurableBindings | undefined {
  const calls = env.DURABLE_CALLS;
  const ledgers = env.TASK_LEDGERS;
  return isNamespace(calls) && isNamespace(ledgers) ? { calls, ledgers } : undefined;
}

export function callObject(bindings: DurableBindings, taskId: string): CallObject {
  return bindings.calls.get(bindings.calls.idFromName(taskId)) as unknown as CallObject;
}

export function ledgerObject(bindings: DurableBindings, owner: string): LedgerObject {
  return bindings.ledgers.get(bindings.ledgers.idFromName(owner)) as unknown as LedgerObject;
}

function isNamespace(value: unknown): value is DurableObjectNamespace {
  return typeof value === "object" && value !== null && typeof (value as { idFromName?: unknown }).idFromName === "function";
}

/** Events as they cross from a call's object to the Worker: one JSON object per line. */
export function encodeEvent(event: CallEvent): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(event)}\n`);
}

/** The events of a follow() stream, as they arrive. */
export async function* decodeEvents(stream: ReadableStream<Uint8Array>): AsyncGenerator<CallEvent> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line !== "") yield JSON.parse(line) as CallEvent;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
