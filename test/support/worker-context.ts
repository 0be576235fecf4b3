// The WorkerContext for unit tests that call a route's handler without workerd. Its env has no
// bindings behind it: the code these tests drive reaches none (its client is on loopback, which
// no rate limit counts, and it starts no durable call).
import type { Clock } from "../../src/clock.js";
import type { WorkerContext } from "../../src/config.js";

export function unitWorker(clock: Clock): WorkerContext {
  return { env: {} as Env, waitUntil: () => {}, clock };
}
