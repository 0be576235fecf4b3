// The one test setup: a Worker in workerd, and a stand-in OpenRouter it talks to, started before
// the tests of the file (or describe block) that asks for them and stopped after.
//
//   const { worker, standIn } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });
//   it("…", async () => { await post(worker.mcpUrl, …); expect(standIn.chatRequests()) … });
//
// The handles are returned at once, while the hooks have not run yet: they become usable inside
// tests and later hooks. Hooks of one block run in the order they were registered, so a file's own
// beforeAll placed after the fixture call sees a running Worker.
import { afterAll, beforeAll } from "vitest";
import { startDemo, type RunningDemo } from "./demo.js";
import { startOpenRouterStandIn, type StandIn } from "../../stand-in/openrouter.js";
import { startWorker, type RunningWorker, type WorkerOptions } from "./worker.js";

export type WorkerVars = Record<string, string>;

/** Vars that send the Worker's OpenRouter calls nowhere (the discard port): every call fails fast. */
export const UNREACHABLE_OPENROUTER: WorkerVars = {
  OPENROUTER_BASE_URL: "http://127.0.0.1:9/api/v1",
  OPENROUTER_AUTH_URL: "http://127.0.0.1:9/auth",
};

/** The vars that point a Worker at a stand-in: its API base and its consent page. */
export function openRouterVars(standIn: StandIn): WorkerVars {
  return { OPENROUTER_BASE_URL: standIn.apiBase, OPENROUTER_AUTH_URL: standIn.authUrl };
}

export interface UseWorkerOptions extends WorkerOptions {
  /** Point the Worker at this stand-in (a handle from useStandIn or useWorkerWithStandIn); `vars` still win. */
  standIn?: StandIn;
}

/** A stand-in OpenRouter for the enclosing file or describe block. */
export function useStandIn(options: Parameters<typeof startOpenRouterStandIn>[0] = {}): StandIn {
  const late = lateHandle<StandIn>("the stand-in OpenRouter");
  beforeAll(async () => late.fill(await startOpenRouterStandIn(options)));
  afterAll(async () => late.take()?.close());
  return late.handle;
}

/** A Worker for the enclosing file or describe block, with these vars (none: every default). */
export function useWorker(vars: WorkerVars = {}, options: UseWorkerOptions = {}): RunningWorker {
  const { standIn, ...workerOptions } = options;
  const late = lateHandle<RunningWorker>("the Worker");
  beforeAll(async () =>
    late.fill(await startWorker({ ...(standIn ? openRouterVars(standIn) : {}), ...vars }, workerOptions)),
  );
  afterAll(async () => late.take()?.dispose());
  return late.handle;
}

/** The common case: a stand-in OpenRouter, and a Worker pointed at it with these extra vars. */
export function useWorkerWithStandIn(
  vars: WorkerVars = {},
  options: WorkerOptions = {},
): { standIn: StandIn; worker: RunningWorker } {
  const standIn = useStandIn();
  const worker = useWorker(vars, { ...options, standIn });
  return { standIn, worker };
}

/** `npm run demo` for the enclosing file, started as a person would; Ctrl-C after, if no test did. */
export function useDemo(): RunningDemo {
  const late = lateHandle<RunningDemo>("npm run demo");
  beforeAll(async () => late.fill(await startDemo()), 150_000);
  afterAll(async () => void (await late.take()?.stop()), 30_000);
  return late.handle;
}

/**
 * A stand-in object for something a beforeAll hook will create: reads and writes go to the real
 * one once it exists, and say plainly what went wrong if a test file touches it too early.
 */
function lateHandle<T extends object>(what: string): { handle: T; fill(value: T): void; take(): T | undefined } {
  let current: T | undefined;
  const live = (): T => {
    if (current === undefined)
      throw new Error(`${what} is not running here: use it inside a test or a hook, after the fixture's beforeAll`);
    return current;
  };
  const handle = new Proxy({} as T, {
    get: (_, key) => Reflect.get(live(), key),
    set: (_, key, value) => Reflect.set(live(), key, value),
    has: (_, key) => Reflect.has(live(), key),
  });
  return {
    handle,
    fill: (value) => void (current = value),
    take: () => {
      const value = current;
      current = undefined;
      return value;
    },
  };
}
