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
  admit(
    owner: string,
    taskId: string,
    createdAt: number,
    limit: number,
  ): Promise<{ admitted: true } | { admitted: false; working: number }>;
  settle(taskId: string, status: TaskStatus): Promise<void>;
  forget(taskId: string): Promise<void>;
  /** undefined: the cursor is not one this ledger gave out. */
  list(cursor: string | undefined, pageSize: number): Promise<{ taskIds: string[]; nextCursor?: string } | undefined>;
}

/** The little of a DurableObjectNamespace this code uses (typed here, so that Node's tests compile it too). */
interface Namespace {
  idFromName(name: string): unknown;
  get(id: never): unknown;
}

export interface DurableBindings {
  calls: Namespace;
  ledgers: Namespace;
}

/** The namespaces, when wrangler.toml binds them (every deployment made from this repository does). */
export function durableBindings(env: Partial<Record<string, unknown>>): DurableBindings | undefined {
  const calls = env.DURABLE_CALLS;
  const ledgers = env.TASK_LEDGERS;
  return isNamespace(calls) && isNamespace(ledgers) ? { calls, ledgers } : undefined;
}

export function callObject(bindings: DurableBindings, taskId: string): CallObject {
  return bindings.calls.get(bindings.calls.idFromName(taskId) as never) as CallObject;
}

export function ledgerObject(bindings: DurableBindings, owner: string): LedgerObject {
  return bindings.ledgers.get(bindings.ledgers.idFromName(owner) as never) as LedgerObject;
}

function isNamespace(value: unknown): value is Namespace {
  return (
    typeof value === "object" && value !== null && typeof (value as { idFromName?: unknown }).idFromName === "function"
  );
}

/** Events as they cross from a call's object to the Worker: one JSON object per line. */
export function encodeEvent(event: CallEvent): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(event)}\n`);
}

/** A follow() stream, read an event at a time; close() stops it at once, even mid-read. */
export interface CallEvents {
  /** The next event, or undefined once the stream has ended or been closed. */
  next(): Promise<CallEvent | undefined>;
  close(): void;
}

export function readEvents(stream: ReadableStream<Uint8Array>): CallEvents {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf("\n");
        if (end >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          if (line !== "") return JSON.parse(line) as CallEvent;
          continue;
        }
        const read = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (read.done) return undefined;
        buffer += decoder.decode(read.value, { stream: true });
      }
    },
    close() {
      void reader.cancel().catch(() => {});
    },
  };
}
