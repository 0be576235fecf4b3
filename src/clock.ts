// Time as the Worker reads it and waits on it, in one object, so that tests can run the logic
// that depends on time (coalescing, keepalives, timeouts, expiry) with a fake clock instead of
// real waits. Production code takes a Clock (defaulting to systemClock) and never calls
// Date.now, setTimeout or setInterval directly.

/** An opaque handle for a pending timer. */
export type Timer = { readonly __timer: unique symbol } | number;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once, after `ms`. */
  setTimeout(callback: () => void, ms: number): Timer;
  /** Calls `callback` every `ms` until cleared. */
  setInterval(callback: () => void, ms: number): Timer;
  /** Cancels a timer from either of the two above; a timer already fired or cleared is ignored. */
  clear(timer: Timer | undefined): void;
}

type RuntimeTimer = ReturnType<typeof setTimeout>;

export const systemClock: Clock = {
  now: () => Date.now(),
  // Node's types (the tests compile this too) return an object where workerd's return a number.
  /* eslint-disable @typescript-eslint/no-unnecessary-type-assertion */
  setTimeout: (callback, ms) => setTimeout(callback, ms) as unknown as Timer,
  setInterval: (callback, ms) => setInterval(callback, ms) as unknown as Timer,
  /* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */
  // clearTimeout and clearInterval share one pool of ids in every runtime we run on.
  clear: (timer) => {
    if (timer !== undefined) clearTimeout(timer as unknown as RuntimeTimer);
  },
};

/** An AbortSignal that aborts after `ms` on `clock`, or as soon as `parent` does. */
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer and lets go of `parent`: call it once the deadline is no longer needed. */
  clear(): void;
}

export function deadline(clock: Clock, ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const timer = clock.setTimeout(abort, ms);
  if (parent?.aborted) abort();
  else parent?.addEventListener("abort", abort);
  return {
    signal: controller.signal,
    clear: () => {
      clock.clear(timer);
      parent?.removeEventListener("abort", abort);
    },
  };
}
