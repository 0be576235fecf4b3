// The two Durable Object namespaces durable calls use, as wrangler.toml binds them and `wrangler
// types` declares them (worker-configuration.d.ts): their stubs are typed by the classes
// themselves (Workers RPC), which src/index.ts exports.
import type { CallEvent } from "./task.js";

export interface DurableBindings {
  /** One object per durable call (durable-call.ts), named by its task id. */
  calls: Env["DURABLE_CALLS"];
  /** One object per caller (task-ledger.ts), named by the key's hash: which tasks it has, how many work. */
  ledgers: Env["TASK_LEDGERS"];
}

export function durableBindings(env: Env): DurableBindings {
  return { calls: env.DURABLE_CALLS, ledgers: env.TASK_LEDGERS };
}

export function callObject(bindings: DurableBindings, taskId: string) {
  return bindings.calls.getByName(taskId);
}

export function ledgerObject(bindings: DurableBindings, owner: string) {
  return bindings.ledgers.getByName(owner);
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
