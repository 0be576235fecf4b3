// A Clock whose time moves only when a test says so: the timers due by then fire, in order.
//
//   const clock = new FakeClock();
//   const stream = new ResponseStream({ ..., clock });
//   await clock.advance(15_000); // the keepalive is written, no real waiting
import type { Clock, Timer } from "../../src/clock.js";

interface Scheduled {
  id: number;
  at: number;
  every: number | undefined;
  callback: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Scheduled>();

  constructor(start = Date.UTC(2026, 11, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    return this.schedule(callback, ms, undefined);
  }

  setInterval(callback: () => void, ms: number): Timer {
    return this.schedule(callback, ms, Math.max(1, ms));
  }

  clear(timer: Timer | undefined): void {
    if (typeof timer === "number") this.timers.delete(timer);
  }

  /** How many timers are waiting (a component that stopped should leave none behind). */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in order of its due time
   * (an interval as often as it falls due), and lets promise callbacks run after each one.
   */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      let next: Scheduled | undefined;
      for (const timer of this.timers.values())
        if (timer.at <= until && (next === undefined || timer.at < next.at)) next = timer;
      if (next === undefined) break;
      this.time = next.at;
      if (next.every === undefined) this.timers.delete(next.id);
      else next.at += next.every;
      next.callback();
      await flushMicrotasks();
    }
    this.time = until;
    await flushMicrotasks();
  }

  private schedule(callback: () => void, ms: number, every: number | undefined): Timer {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), every, callback });
    return id;
  }
}

/** Lets pending promise callbacks (and the ones they queue) run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
