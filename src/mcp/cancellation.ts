// notifications/cancelled: a client that gives up on a call (the SDK's request timeout, a person
// pressing stop) says so in a separate POST while the call's own response is still streaming, and
// may keep that stream open. The upstream answer it no longer wants must stop, as on a hang-up.
// There are no sessions: a call is found by who asked (the key) and its request id among the calls
// this isolate is serving. A cancel that reaches another isolate finds nothing; that call then runs
// until its answer ends or its client closes the stream (which always stops it).
import * as z from "zod/mini";
import { systemClock, type Clock } from "../clock.js";
import type { IncomingMessage, JsonRpcId } from "./jsonrpc.js";

/** How often a call looks whether it was cancelled: Workers let only its own request abort its fetch. */
const CHECK_MS = 250;

const inFlight = new Map<string, { cancelled: boolean }>();

const callName = (key: string, id: JsonRpcId): string => `${JSON.stringify(id)} ${key}`;

const cancelledParams = z.object({ requestId: z.union([z.string(), z.number()]) });

/** Makes these calls cancellable by their caller; returns what forgets them once they end. */
export function trackCalls(
  key: string | undefined,
  ids: readonly JsonRpcId[],
  cancel: () => void,
  clock: Clock = systemClock,
): () => void {
  if (key === undefined || ids.length === 0) return () => {};
  const call = { cancelled: false };
  const names = ids.map((id) => callName(key, id));
  for (const name of names) inFlight.set(name, call);
  const timer = clock.setInterval(() => call.cancelled && cancel(), CHECK_MS);
  return () => {
    clock.clear(timer);
    for (const name of names) if (inFlight.get(name) === call) inFlight.delete(name);
  };
}

/** Marks the calls that these messages' notifications/cancelled name as cancelled, if the same key started them. */
export function cancelCalls(key: string | undefined, messages: readonly IncomingMessage[]): void {
  if (key === undefined) return;
  for (const message of messages) {
    if (message.kind !== "notification" || message.method !== "notifications/cancelled") continue;
    const parsed = z.safeParse(cancelledParams, message.params);
    const call = parsed.success ? inFlight.get(callName(key, parsed.data.requestId)) : undefined;
    if (call) call.cancelled = true;
  }
}
