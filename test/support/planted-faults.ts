// The Worker with faults planted, for test/log.test.ts: the real src/index.ts, except that a
// chat_completion whose prompt names a fault throws there. "plant: tool" throws as the tool
// starts, "plant: relay" while its answer streams, "plant: run" inside the Durable Object that
// runs a durable call. Bundled by the test itself; never part of the Worker.
import worker, { DurableCall as RealDurableCall, TaskLedger } from "../../src/index.js";
import type { JobContext } from "../../src/durable/durable-call.js";
import type { CallOrder } from "../../src/durable/task.js";
import { chatCompletion } from "../../src/tools/chat-completion.js";

const promptOf = (args: unknown): unknown => (args as { prompt?: unknown } | undefined)?.prompt;

const realCall = chatCompletion.call.bind(chatCompletion);
chatCompletion.call = async (args, context) => {
  if (promptOf(args) === "plant: tool") throw new Error("planted in the tool");
  if (promptOf(args) === "plant: relay") {
    return {
      kind: "stream",
      progressTotal: undefined,
      relay: () => Promise.reject(new TypeError("planted in the relay")),
    };
  }
  return realCall(args, context);
};

export class DurableCall extends RealDurableCall {
  protected override runJob(order: CallOrder, context: JobContext) {
    if (promptOf(order.arguments) === "plant: run") throw new RangeError("planted in the run");
    return super.runJob(order, context);
  }
}

export { TaskLedger };
export default worker;
