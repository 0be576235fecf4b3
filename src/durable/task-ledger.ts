// The Durable Object that keeps one caller's list of durable calls (one object per key hash):
// what tasks/list pages through, and what bounds how many calls a caller may have working at
// once. It stores task ids, creation times and statuses; never a key, an argument or an answer.
//
// The call objects tell it when a call ends and when it is deleted. When a message is lost (an
// object restarted at the wrong moment), the ledger errs on the safe side: a call said to be
// working is asked again before it may refuse a new one, and ids whose task is gone are dropped
// as a listing finds them.
import { DurableObject } from "cloudflare:workers";
import { callObject, durableBindings } from "./bindings.js";
import { LIST_CURSOR, type TaskStatus } from "./task.js";

interface Entry {
  taskId: string;
  createdAt: number;
  status: TaskStatus;
}

const ENTRY = "task:";

/** The ledger's order: newest first, then by id. */
function newestFirst(a: { createdAt: number; taskId: string }, b: { createdAt: number; taskId: string }): number {
  return b.createdAt - a.createdAt || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);
}
/**
 * The ids of the calls said to be working, kept apart so that admitting a call reads only those:
 * a key may keep many finished calls for the retention time, and admit runs before every one.
 */
const WORKING = "working:";

export class TaskLedger extends DurableObject<Env> {
  async admit(
    owner: string,
    taskId: string,
    createdAt: number,
    limit: number,
  ): Promise<{ ok: true } | { ok: false; working: number }> {
    let working = this.working();
    if (working.length >= limit) {
      await this.recheck(owner, working);
      working = this.working();
    }
    if (working.length >= limit) return { ok: false, working: working.length };
    this.put({ taskId, createdAt, status: "working" });
    return { ok: true };
  }

  async settle(taskId: string, status: TaskStatus): Promise<void> {
    const entry = this.ctx.storage.kv.get<Entry>(ENTRY + taskId);
    if (entry) this.put({ ...entry, status });
  }

  async forget(taskId: string): Promise<void> {
    this.ctx.storage.kv.delete(ENTRY + taskId);
    this.ctx.storage.kv.delete(WORKING + taskId);
  }

  /**
   * Newest first. The cursor is where the previous page ended (its last task's creation time and
   * id, LIST_CURSOR): a place in the order, not a task, so it stays good when that task goes.
   */
  async list(
    cursor: string | undefined,
    pageSize: number,
  ): Promise<{ taskIds: string[]; nextCursor?: string } | undefined> {
    const entries = this.entries().sort(newestFirst);
    let from = 0;
    if (cursor !== undefined) {
      const place = LIST_CURSOR.exec(cursor);
      if (!place) return undefined;
      const after = { createdAt: Number(place[1]), taskId: place[2]! };
      from = entries.findIndex((entry) => newestFirst(entry, after) > 0);
      if (from < 0) from = entries.length;
    }
    const page = entries.slice(from, from + pageSize);
    const last = page.at(-1);
    const more = from + pageSize < entries.length;
    const taskIds = page.map((entry) => entry.taskId);
    return more && last ? { taskIds, nextCursor: `${last.createdAt}.${last.taskId}` } : { taskIds };
  }

  private entries(): Entry[] {
    return Array.from(this.ctx.storage.kv.list<Entry>({ prefix: ENTRY }), ([, entry]) => entry);
  }

  private working(): string[] {
    return Array.from(this.ctx.storage.kv.list({ prefix: WORKING }), ([name]) => name.slice(WORKING.length));
  }

  private put(entry: Entry): void {
    this.ctx.storage.kv.put(ENTRY + entry.taskId, entry);
    if (entry.status === "working") this.ctx.storage.kv.put(WORKING + entry.taskId, 1);
    else this.ctx.storage.kv.delete(WORKING + entry.taskId);
  }

  /** Asks each call said to be working how it stands: ended ones settle, vanished ones go. */
  private async recheck(owner: string, working: string[]): Promise<void> {
    const bindings = durableBindings(this.env);
    await Promise.all(
      working.map(async (taskId) => {
        const snapshot = await callObject(bindings, taskId)
          .snapshot(owner, false)
          .catch(() => null);
        if (snapshot === null) return; // could not ask: keep counting it
        const entry = this.ctx.storage.kv.get<Entry>(ENTRY + taskId);
        if (snapshot === undefined || !entry) await this.forget(taskId);
        else if (snapshot.status !== "working") this.put({ ...entry, status: snapshot.status });
      }),
    );
  }
}
