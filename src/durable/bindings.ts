// The two Durable Object namespaces durable calls use, as wrangler.toml binds them and `wrangler
// types` declares them (worker-configuration.d.ts): their stubs are typed by the classes
// themselves (Workers RPC), which src/index.ts exports.

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
