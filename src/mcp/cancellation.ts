// notifications/cancelled: a client that gives up on a call (the SDK's request timeout, a person
// pressing stop) says so in a separate POST while the call's own response is still streaming, and
// may keep that stream open. The upstream answer it no longer wants must stop, as on a hang-up.
// There are no sessions: a call is found by who asked and its request id among the calls this
// isolate is serving. Who asked is the key, the client's address and its User-Agent, so that two
// clients sharing a key (SDK clients all number their requests from 0) do not stop each other's
// calls; where that still names two calls, the cancel stops neither rather than the wrong one.
// A cancel that reaches another isolate finds nothing; that call then runs until its answer ends
// or its client closes the stream (which always stops it).
import * as z from "zod/mini";
import { systemClock, type Clock } from "../clock.js";
import type { IncomingMessage, JsonRpcId, JsonRpcNotification } from "./jsonrpc.js";

/** How often a call looks whether it was cancelled: Workers let only its own request abort its fetch. */
const CHECK_MS = 250;

interface TrackedCall {
  cancelled: boolean;
}

/** The calls in flight under each caller-and-id name; more than one means the name is ambiguous. */
const inFlight = new Map<string, Set<TrackedCall>>();

/**
 * Who may cancel a request's calls: the same key (by its hash: the raw key is kept nowhere), from
 * the same address with the same User-Agent.
 */
export function cancellerOf(keyHash: string, address: string | undefined, request: Request): string {
  return JSON.stringify([keyHash, address ?? "", request.headers.get("User-Agent") ?? ""]);
}

const isCancellation = (message: IncomingMessage): message is JsonRpcNotification =>
  message.kind === "notification" && message.method === "notifications/cancelled";

/** Whether any of these messages asks to cancel a call (only then is the caller worth naming). */
export const asksCancellation = (messages: readonly IncomingMessage[]): boolean => messages.some(isCancellation);

const callName = (canceller: string, id: JsonRpcId): string => `${JSON.stringify(id)} ${canceller}`;

const cancelledParams = z.object({ requestId: z.union([z.string(), z.number()]) });

/** Makes these calls cancellable by their caller; returns what forgets them once they end. */
export function trackCalls(
  canceller: string | undefined,
  ids: readonly JsonRpcId[],
  cancel: () => void,
  clock: Clock = systemClock,
): () => void {
  if (canceller === undefined || ids.length === 0) return () => {};
  const call: TrackedCall = { cancelled: false };
  const names = ids.map((id) => callName(canceller, id));
  for (const name of names) {
    const calls = inFlight.get(name);
    if (calls) calls.add(call);
    else inFlight.set(name, new Set([call]));
  }
  const timer = clock.setInterval(() => call.cancelled && cancel(), CHECK_MS);
  return () => {
    clock.clear(timer);
    for (const name of names) {
      const calls = inFlight.get(name);
      calls?.delete(call);
      if (calls?.size === 0) inFlight.delete(name);
    }
  };
}

/** Marks the call that each of these messages' notifications/cancelled names, when exactly one call of this caller has that id. */
export function cancelCalls(canceller: string, messages: readonly IncomingMessage[]): void {
  for (const message of messages) {
    if (!isCancellation(message)) continue;
    const parsed = z.safeParse(cancelledParams, message.params);
    const calls = parsed.success ? inFlight.get(callName(canceller, parsed.data.requestId)) : undefined;
    if (calls?.size !== 1) continue;
    for (const call of calls) call.cancelled = true;
  }
}
