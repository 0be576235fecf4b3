// `npm run bench`, durable calls: what listing a key's tasks costs when their answers are long.
// LISTED_TASKS tasks whose results reach the most a durable call keeps (1 MB, as a 300,000-token
// answer is kept cut; here the stand-in echoes a prompt of a few very long words, so that they are
// made in seconds), then the whole list read page by page (tasks/list, as a client does it),
// LISTINGS times: the time a listing takes, workerd's CPU for it, and the peak of workerd's
// resident memory above what it held before the first listing (VmHWM, reset through clear_refs).
import { startOpenRouterStandIn } from "../stand-in/openrouter.js";
import { cpuNanoseconds, median } from "./measure.js";
import { row } from "./report.js";
import { resetPeak, rpc, serve, statusKiB, type Runtime } from "./workerd.js";

const LISTED_TASKS = 50;
/** Echoed, twice in the result (its content and structuredContent): past the 1 MB a durable call keeps. */
const LONG_PROMPT = Array.from({ length: 8 }, () => "w".repeat(75_000)).join(" ");
/** Tasks started at once while they are made. */
const STARTED_AT_ONCE = 5;
const LISTINGS = 20;

export interface TaskListFigures {
  tasks: number;
  /** One listing of every task (its pages, one after the other): median time, and workerd's CPU, each per listing. */
  listingMs: number;
  listingCpuMs: number;
  /** workerd's resident peak above what it held before the listings, in MiB. */
  peakMiB: number;
}

export async function taskList(ourScript: string, runtime: Runtime): Promise<TaskListFigures> {
  const standIn = await startOpenRouterStandIn();
  const vars = { OPENROUTER_BASE_URL: standIn.apiBase, MAX_TASKS_PER_KEY: String(LISTED_TASKS) };
  const ours = await serve(ourScript, runtime, vars, runtime.durableObjects);
  try {
    const params = { name: "chat_completion", arguments: { prompt: LONG_PROMPT, model: "bench/long-answer" } };
    for (let made = 0; made < LISTED_TASKS; made += STARTED_AT_ONCE) {
      await Promise.all(
        Array.from({ length: STARTED_AT_ONCE }, async () => {
          const created = await rpc(ours.url, { method: "tools/call", params: { ...params, task: {} } });
          const taskId = created.result?.task?.taskId as string | undefined;
          if (!taskId) throw new Error(`no task created: ${JSON.stringify(created).slice(0, 300)}`);
          const ended = await rpc(ours.url, { method: "tasks/result", params: { taskId } });
          if (!ended.result?.structuredContent?.truncated) throw new Error("the answer was not long enough to be cut");
        }),
      );
    }
    const listAll = async () => {
      let listed = 0;
      let cursor: string | undefined;
      do {
        const page = await rpc(ours.url, { method: "tasks/list", params: cursor === undefined ? {} : { cursor } });
        listed += (page.result?.tasks as unknown[] | undefined)?.length ?? 0;
        cursor = page.result?.nextCursor as string | undefined;
      } while (cursor !== undefined);
      if (listed !== LISTED_TASKS) throw new Error(`listed ${listed} tasks of ${LISTED_TASKS}`);
    };
    await listAll(); // warm-up
    const before = statusKiB(ours.pid, "VmRSS");
    resetPeak(ours.pid);
    const times: number[] = [];
    const cpuBefore = cpuNanoseconds(ours.pid);
    for (let i = 0; i < LISTINGS; i++) {
      const start = performance.now();
      await listAll();
      times.push(performance.now() - start);
    }
    return {
      tasks: LISTED_TASKS,
      listingMs: median(times),
      listingCpuMs: (cpuNanoseconds(ours.pid) - cpuBefore) / LISTINGS / 1e6,
      peakMiB: (statusKiB(ours.pid, "VmHWM") - before) / 1024,
    };
  } finally {
    await ours.mf.dispose();
    await standIn.close();
  }
}

export function taskListRows(figures: TaskListFigures): void {
  const listing = `durable: tasks/list of ${figures.tasks} tasks kept 1 MB each`;
  row(`${listing}, time per listing (all pages), median`, figures.listingMs, null, "ms", "(for reading)", null);
  row(`${listing}, workerd CPU per listing`, figures.listingCpuMs, null, "ms", "(for reading)", null);
  row(`${listing}, workerd peak memory above before`, figures.peakMiB, null, "MiB", "(for reading)", null);
}
