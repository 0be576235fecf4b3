// chat_completion with parallel_models: the same request to 2 to 5 models at once, each streamed
// on its own (one model failing fails none of the others), progress saying each one's state in
// one line ("gpt-5: writing 412 · gemini: thinking · claude: done"), then, when asked, a
// synthesizer that reads the answers and writes one, streamed after them. The call's signal stops
// every upstream request at once: a cancelled call, or a client gone, stops them all.
import type { ChatRequest, ChatStart, OpenRouter } from "../openrouter/client.js";
import { keyRejectedNow } from "../openrouter/key-verdicts.js";
import type { CallToolResult } from "../tool-result.js";
import { parallelResult, type Finished } from "./chat-parallel-result.js";
import { refusedCall } from "./chat-refusal.js";
import { chatResult } from "./chat-result.js";
import { ModelStatus } from "./chat-status.js";
import { readAnswer, type AnswerShape } from "./chat-stream.js";
import type { Progress, ToolCallContext, ToolStart } from "./tool.js";

export interface ParallelCall {
  /** The request every model is sent, less its model. */
  request: ChatRequest;
  models: string[];
  /** The synthesizer's model id, when the call asked for one. */
  synthesizer: string | undefined;
  shape: Omit<AnswerShape, "model">;
}

export async function startInParallel(
  { request, models, synthesizer, shape }: ParallelCall,
  openRouter: OpenRouter,
  key: string,
  context: ToolCallContext,
): Promise<ToolStart> {
  const { config } = context;
  const starts = await startAll(request, models, openRouter, key, context.signal);
  if (starts.every((start) => !start.ok && start.status === 401)) {
    // Remembered: the key's lookups said accepted a while ago, and it has since been deleted.
    await keyRejectedNow(openRouter, key, context.clock);
    return { kind: "unauthorized", reason: "rejected" };
  }
  const refused = await Promise.all(
    starts.map(async (start, i) => (start.ok ? undefined : refusedCall(openRouter, start, models[i]!, config))),
  );
  if (refused.every((result) => result !== undefined)) {
    const answers = refused.map((result, i): Finished => ({ asked: models[i]!, result }));
    return { kind: "result", result: parallelResult(answers, undefined) };
  }
  // Only the synthesizer reads the conversation again: without one, the relay keeps none of it.
  const again = synthesizer === undefined ? undefined : request;
  const calls = models.length + (synthesizer === undefined ? 0 : 1);
  const progressTotal = request.max_tokens === undefined ? undefined : request.max_tokens * calls;
  const relayed = { models, synthesizer, shape, again };
  return { kind: "stream", progressTotal, relay: relayOf(starts, refused, relayed, openRouter, key, context) };
}

/** Every model's request at once. A function of its own: nothing the relay closes over holds the request. */
function startAll(
  request: ChatRequest,
  models: readonly string[],
  openRouter: OpenRouter,
  key: string,
  signal: AbortSignal,
): Promise<ChatStart[]> {
  return Promise.all(models.map((model) => openRouter.startChat(key, { ...request, model }, signal)));
}

/**
 * The relay, closing over what it reads and no more: the arguments, which may hold 16 MiB of
 * images and files, are left behind once sent (kept only for a synthesizer, which sends them again).
 */
function relayOf(
  starts: ChatStart[],
  refused: (CallToolResult | undefined)[],
  relayed: Relayed,
  openRouter: OpenRouter,
  key: string,
  context: ToolCallContext,
): (progress: Progress) => Promise<CallToolResult> {
  return (progress) => relayInParallel(starts, refused, relayed, openRouter, key, context, progress);
}

interface Relayed {
  models: string[];
  synthesizer: string | undefined;
  shape: Omit<AnswerShape, "model">;
  /** The request again, for the synthesizer. */
  again: ChatRequest | undefined;
}

async function relayInParallel(
  starts: ChatStart[],
  refused: (CallToolResult | undefined)[],
  { models, synthesizer, shape, again }: Relayed,
  openRouter: OpenRouter,
  key: string,
  context: ToolCallContext,
  progress: Progress,
): Promise<CallToolResult> {
  const { clock, onText } = context;
  const names = shortNames(models);
  const statuses = models.map((model) => new ModelStatus(model, clock));
  // Set once the answers are in, when a synthesizer writes after them.
  let synthesis: ModelStatus | undefined = undefined;
  const describe = () =>
    [
      ...statuses.map((status, i) => status.brief(names[i]!)),
      ...(synthesis ? [synthesis.brief(`synthesis by ${shortNames([synthesis.model])[0]!}`)] : []),
    ].join(" · ");
  const units = () => statuses.reduce((sum, status) => sum + status.units, synthesis?.units ?? 0);
  const onUnit = () => progress.report(units(), describe);
  progress.report(0, describe);
  // Each model's text goes to a durable call's record whole, once it is done: interleaved pieces
  // of several answers would read as none.
  const quiet = { ...context, onText: undefined, onImage: undefined };
  const answers = await Promise.all(
    models.map(async (asked, i): Promise<Finished> => {
      const start = starts[i]!;
      if (!start.ok) {
        statuses[i]!.end(true);
        return { asked, result: refused[i]! };
      }
      const answer = await readAnswer(start.body, { ...shape, model: asked }, quiet, statuses[i]!, onUnit);
      const result = chatResult(answer);
      onText?.(`## ${asked}\n\n${answer.text}\n\n`);
      return { asked, result };
    }),
  );
  if (synthesizer === undefined || again === undefined || answers.every((a) => a.result.isError))
    return parallelResult(answers, undefined);

  synthesis = new ModelStatus(synthesizer, clock);
  const request = synthesisRequest(again, synthesizer, answers);
  const start = await openRouter.startChat(key, request, context.signal);
  let result: CallToolResult;
  if (start.ok) {
    onText?.("## Synthesis\n\n");
    const answer = await readAnswer(
      start.body,
      { ...shape, model: synthesizer },
      { ...context, onImage: undefined },
      synthesis,
      onUnit,
    );
    result = chatResult(answer);
  } else {
    synthesis.end(true);
    result = await refusedCall(openRouter, start, synthesizer, context.config);
  }
  return parallelResult(answers, { asked: synthesizer, result });
}

/**
 * The request again, for the synthesizer: the same conversation, then the answers that came
 * whole (a failed one is left out), and what to make of them.
 */
function synthesisRequest(request: ChatRequest, synthesizer: string, answers: readonly Finished[]): ChatRequest {
  const answered = answers.filter((a) => !a.result.isError);
  const quoted = answered
    .map(({ asked, result }) => {
      const { text } = result.structuredContent as { text: string };
      return `<answer model="${asked}">\n${text}\n</answer>`;
    })
    .join("\n\n");
  const ask =
    `${answered.length} models answered the request above, each on its own:\n\n${quoted}\n\n` +
    "Write the one best answer to the request: keep what they got right, settle where they disagree (saying so " +
    "where it matters), and leave out what is wrong. Answer the request itself; do not describe the models or this step.";
  return {
    ...request,
    model: synthesizer,
    models: undefined,
    messages: [...request.messages, { role: "user", content: ask }],
  };
}

/** What progress calls each model: its id less the vendor ("gpt-5"), or the whole id where two would read alike. */
function shortNames(models: readonly string[]): string[] {
  const short = models.map((model) => model.slice(model.lastIndexOf("/") + 1));
  return short.map((name, i) => (short.indexOf(name) === short.lastIndexOf(name) ? name : models[i]!));
}
