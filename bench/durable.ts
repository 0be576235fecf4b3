// `npm run bench`, durable calls: what a task costs beside the stateless path, in workerd.
//   - the latency added before a CreateTaskResult (the Durable Objects are created and written
//     first), beside the time a stateless call takes to its first progress;
//   - the CPU of a tasks/get against a tools/list (each request's workerd CPU, as section 3);
//   - the relay's CPU per 1,000 tokens inside a call's Durable Object, against the stateless
//     relay and the read-only floor (a Worker that reads the same upstream stream and ignores it),
//     apart from what a call costs whatever its length, which is set beside the floor's own cost
//     in a new Durable Object.
// Each Worker runs in its own workerd, against one stand-in OpenRouter; CPU is read from /proc.
import { startOpenRouterStandIn, VALID_KEY, type StandIn } from "../stand-in/openrouter.js";
import { cpuNanoseconds, median, percentile } from "./measure.js";
import { row } from "./report.js";
import { LEGACY, rpc, serve, type Runtime, type Served } from "./workerd.js";

/** The relay's answer: long enough that a task's fixed costs (two objects, a few writes) are spread over it. */
const RELAY_TOKENS = 2000;
/** Calls measured one by one and taken in turn (each way below), the median of each kept:
 * how many reads a 2,000-frame stream takes depends on how the writes and reads interleave, so
 * single calls vary, and a change in the machine's load reaches all three alike. One pass of 12
 * calls each, one Worker after the other, moved the task's ratio to the floor between 1.18 and
 * 1.46 on a quiet machine; rounds of 4 calls, between 1.08 and 1.38. */
const RELAY_SAMPLES = 21;

const callParams = (model: string, task: boolean) => ({
  name: "chat_completion",
  arguments: { prompt: "x", model },
  ...(task ? { task: {} } : {}),
});

/** Runs `work` `times` times, one after the other; the workerd CPU it took, per run, in µs. */
async function cpuPerRun(served: Served, times: number, work: () => Promise<unknown>, warmUp = true): Promise<number> {
  if (warmUp) for (let i = 0; i < 3; i++) await work(); // the steady state of a reused isolate
  const before = cpuNanoseconds(served.pid);
  for (let i = 0; i < times; i++) await work();
  return (cpuNanoseconds(served.pid) - before) / times / 1000;
}

/** One figure for each way of taking an answer (see the relay section below). */
interface RelayWays {
  floor: number;
  floorInObject: number;
  stateless: number;
  task: number;
}
const WAYS = ["floor", "floorInObject", "stateless", "task"] as const;

export interface DurableFigures {
  createTaskMs: { p50: number; p99: number };
  statelessFirstProgressMs: { p50: number; p99: number };
  tasksGetMicroseconds: number;
  toolsListMicroseconds: number;
  /** Workerd CPU per 1,000 tokens of 2,000-token answers, everything included. */
  allInPer1kMs: RelayWays;
  /** The same, less what a one-token answer costs: the relay's own cost per 1,000 tokens. */
  relayPer1kMs: RelayWays;
  /** Workerd CPU of a one-token answer: what a call costs whatever its length. */
  oneTokenCallMs: RelayWays;
}

export async function durableCalls(ourScript: string, floorScript: string, runtime: Runtime): Promise<DurableFigures> {
  const standIn: StandIn = await startOpenRouterStandIn();
  const vars = {
    OPENROUTER_BASE_URL: standIn.apiBase,
    OPENROUTER_AUTH_URL: standIn.authUrl,
    MAX_TASKS_PER_KEY: "1000",
  };
  const ours = await serve(ourScript, runtime, vars, runtime.durableObjects);
  const floor = await serve(
    floorScript,
    runtime,
    { OPENROUTER_BASE_URL: standIn.apiBase },
    { FLOOR_OBJECTS: { className: "ReadOnlyCall", useSQLite: true } },
  );
  try {
    // Latency before a CreateTaskResult, beside a stateless call's first progress (both ask for
    // a one-token answer: what is timed is what comes before any of it).
    const createTask: number[] = [];
    const firstProgress: number[] = [];
    for (let i = 0; i < 60; i++) {
      let start = performance.now();
      const created = await rpc(ours.url, { method: "tools/call", params: callParams("stand-in/tokens-1", true) });
      if (!created.result?.task) throw new Error(`no task created: ${JSON.stringify(created)}`);
      if (i >= 10) createTask.push(performance.now() - start);
      start = performance.now();
      const res = await fetch(`${ours.url}/mcp`, {
        method: "POST",
        headers: { ...LEGACY, Accept: "application/json, text/event-stream" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { ...callParams("stand-in/slow-2-5", false), _meta: { progressToken: 1 } },
        }),
      });
      const reader = res.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        if (new TextDecoder().decode(read.value).includes("notifications/progress")) {
          if (i >= 10) firstProgress.push(performance.now() - start);
          break;
        }
      }
      await reader.cancel();
    }

    // A tasks/get on a finished task, against a tools/list: the CPU of one request each.
    const { result } = await rpc(ours.url, { method: "tools/call", params: callParams("stand-in/tokens-3", true) });
    const taskId = result!.task.taskId as string;
    await rpc(ours.url, { method: "tasks/result", params: { taskId } });
    const tasksGet = await cpuPerRun(ours, 200, () => rpc(ours.url, { method: "tasks/get", params: { taskId } }));
    const toolsList = await cpuPerRun(ours, 200, () => rpc(ours.url, { method: "tools/list" }));

    // The relay. Four ways to take the same answer, one call each in turn: the floor reads the
    // stream in a Worker, and in a new Durable Object that stores a status and a result (the least
    // a durable call can spend); ours relays it statelessly, and as a task (its object relays it
    // while tasks/result waits for the end; no progress asked, as for the stateless call). Each
    // for a one-token and a 2,000-token answer: the difference is the relay's cost per token,
    // apart from what a call costs whatever its length (for a task: two objects, their writes,
    // the tasks/result request).
    const ways = (model: string) => ({
      floor: () =>
        fetch(`${floor.url}/?model=${model}`, { headers: { Authorization: `Bearer ${VALID_KEY}` } }).then((r) =>
          r.text(),
        ),
      floorInObject: () =>
        fetch(`${floor.url}/?in=object&model=${model}`, { headers: { Authorization: `Bearer ${VALID_KEY}` } }).then(
          (r) => r.text(),
        ),
      stateless: () => rpc(ours.url, { method: "tools/call", params: callParams(model, false) }),
      task: async () => {
        const created = await rpc(ours.url, { method: "tools/call", params: callParams(model, true) });
        await rpc(ours.url, { method: "tasks/result", params: { taskId: created.result!.task.taskId } });
      },
    });
    const measureWays = async (model: string): Promise<RelayWays> => {
      const run = ways(model);
      const samples: Record<keyof RelayWays, number[]> = { floor: [], floorInObject: [], stateless: [], task: [] };
      for (let i = 0; i < RELAY_SAMPLES; i++) {
        for (const way of WAYS)
          samples[way].push(await cpuPerRun(way.startsWith("floor") ? floor : ours, 1, run[way], i === 0));
      }
      return {
        floor: median(samples.floor),
        floorInObject: median(samples.floorInObject),
        stateless: median(samples.stateless),
        task: median(samples.task),
      };
    };
    const oneToken = await measureWays("stand-in/tokens-1");
    const long = await measureWays(`stand-in/tokens-${RELAY_TOKENS}`);
    const perCall = (micros: number) => micros / 1000;
    const per1k = (micros: number) => (micros / 1000) * (1000 / RELAY_TOKENS);
    const relayPer1k = (way: keyof RelayWays) => ((long[way] - oneToken[way]) / 1000) * (1000 / (RELAY_TOKENS - 1));
    return {
      createTaskMs: { p50: percentile(createTask, 50), p99: percentile(createTask, 99) },
      statelessFirstProgressMs: { p50: percentile(firstProgress, 50), p99: percentile(firstProgress, 99) },
      tasksGetMicroseconds: tasksGet,
      toolsListMicroseconds: toolsList,
      allInPer1kMs: {
        floor: per1k(long.floor),
        floorInObject: per1k(long.floorInObject),
        stateless: per1k(long.stateless),
        task: per1k(long.task),
      },
      relayPer1kMs: {
        floor: relayPer1k("floor"),
        floorInObject: relayPer1k("floorInObject"),
        stateless: relayPer1k("stateless"),
        task: relayPer1k("task"),
      },
      oneTokenCallMs: {
        floor: perCall(oneToken.floor),
        floorInObject: perCall(oneToken.floorInObject),
        stateless: perCall(oneToken.stateless),
        task: perCall(oneToken.task),
      },
    };
  } finally {
    await Promise.all([ours.mf.dispose(), floor.mf.dispose()]);
    await standIn.close();
  }
}

export function durableRows(durable: DurableFigures): void {
  const { allInPer1kMs: allIn, relayPer1kMs: relay, oneTokenCallMs: oneToken } = durable;
  row(
    "durable: request → CreateTaskResult, p50",
    durable.createTaskMs.p50,
    durable.statelessFirstProgressMs.p50,
    "ms",
    "(for reading; baseline: a stateless call's first progress)",
    null,
    false,
    "stateless",
  );
  row(
    "durable: request → CreateTaskResult, p99",
    durable.createTaskMs.p99,
    durable.statelessFirstProgressMs.p99,
    "ms",
    "(for reading)",
    null,
    false,
    "stateless",
  );
  row(
    "durable: tasks/get workerd CPU per request",
    durable.tasksGetMicroseconds,
    durable.toolsListMicroseconds,
    "µs",
    "(for reading)",
    null,
    false,
    "tools/list",
  );
  row(
    "relay in workerd, CPU per 1k tokens, stateless ÷ read-only floor",
    relay.stateless / relay.floor,
    null,
    "×",
    "(for reading)",
    null,
  );
  row(
    "relay in workerd, CPU per 1k tokens, in a task's Durable Object ÷ read-only floor",
    relay.task / relay.floor,
    null,
    "×",
    "≤ 1.25 × read-only floor",
    relay.task <= 1.25 * relay.floor,
  );
  row(
    "relay in workerd, CPU per 1k tokens, read-only floor in a Durable Object ÷ floor",
    relay.floorInObject / relay.floor,
    null,
    "×",
    "(for reading)",
    null,
  );
  row(
    "a one-token call's workerd CPU, stateless",
    oneToken.stateless,
    oneToken.floor,
    "ms",
    "(for reading)",
    null,
    false,
    "read-only floor",
  );
  row(
    "a one-token call's workerd CPU, as a task (with its tasks/result)",
    oneToken.task,
    oneToken.floorInObject,
    "ms",
    "(for reading)",
    null,
    false,
    "floor in a Durable Object",
  );
  row(
    "2,000-token answer, all in: CPU per 1k tokens, stateless",
    allIn.stateless,
    allIn.floor,
    "ms",
    "(for reading)",
    null,
    false,
    "read-only floor",
  );
  row(
    "2,000-token answer, all in: CPU per 1k tokens, as a task",
    allIn.task,
    allIn.floor,
    "ms",
    "(for reading)",
    null,
    false,
    "read-only floor",
  );
}
