// The `chat_completion` tool: a prompt or a conversation in (text, images, files, audio),
// OpenRouter's streamed answer out (text, generated images, cited sources, JSON), with progress
// while the model thinks, writes and draws. The upstream request is built in chat-request.ts, the
// result in chat-result.ts.
import * as z from "zod/mini";
import type { Config } from "../config.js";
import { inputSchema, MAX_PARALLEL } from "./chat-completion-schemas.js";
import { upstreamRequest } from "./chat-request.js";
import { startInParallel } from "./chat-parallel.js";
import { chatResult } from "./chat-result.js";
import { refusedCall } from "./chat-refusal.js";
import { ModelStatus } from "./chat-status.js";
import { readAnswer, type AnswerShape } from "./chat-stream.js";
// Generated from the zod schemas by `npm run schemas` (a test keeps them in step), so the
// Worker does not ship zod's JSON Schema generator.
import jsonSchemas from "./chat-completion-schemas.json";
import { openRouterFor } from "../openrouter/client.js";
import { keyRejectedNow } from "../openrouter/key-verdicts.js";
import { backgroundStarted } from "./background.js";
import { describeArgumentIssues, errorResult } from "./results.js";
import type { CallToolResult, ToolError } from "../tool-result.js";
import {
  SHORT_ANSWER_BYTES,
  type Progress,
  type Tool,
  type ToolCallContext,
  type ToolDefinition,
  type ToolStart,
} from "./tool.js";
import { VIEW_TOOL_META } from "./view.js";

const TOOL_NAME = "chat_completion";

const EXPECTED = "{ prompt } or { messages }, with the optional arguments tools/list describes";

/** The tool as `tools/list` shows it: the description names the default model. */
function definition(config: Config): ToolDefinition {
  return {
    name: TOOL_NAME,
    title: "Chat completion (OpenRouter)",
    description:
      "Send a prompt or a conversation (text, images, PDFs, audio) to any model on OpenRouter: its answer, with images it drew, " +
      `JSON or web sources. Streams progress. Uses ${config.defaultModel} unless "model" names another (see list_models). ` +
      "For answers that may take minutes, pass background: true, then get_completion. " +
      "In a host that shows this server's view (MCP Apps), background: true is the way to ask for a long answer: " +
      "the view follows the call live and puts the answer into the conversation once it is done.",
    _meta: VIEW_TOOL_META,
    inputSchema: jsonSchemas.inputSchema,
    outputSchema: jsonSchemas.outputSchema,
    // Read as the MCP spec defines each hint (ToolAnnotations):
    annotations: {
      title: "Chat completion (OpenRouter)",
      // Not read-only: every call spends the person's OpenRouter credit, so a host that runs
      // read-only tools without asking must ask before this one.
      readOnlyHint: false,
      // Additive, not destructive: a call adds a charge (bounded by the key's credit limit) and
      // a generation to the key's activity; it deletes or overwrites nothing.
      destructiveHint: false,
      // The same arguments again are charged again, and answered anew.
      idempotentHint: false,
      // The prompt goes to OpenRouter and on to the model's provider, outside this server.
      openWorldHint: true,
    },
  };
}

/** The two fields the policy reads before the arguments are checked whole. */
const backgroundFlag = z.object({ background: z.optional(z.unknown()) });
const namedModels = z.object({
  model: z.optional(z.string()),
  parallel_models: z.optional(z.array(z.string()).check(z.maxLength(MAX_PARALLEL))),
});

export const chatCompletion: Tool = {
  name: TOOL_NAME,
  definition,
  call: callChatCompletion,
  check: checkArguments,
  policy: {
    needsKey: true,
    readsDurableCalls: false,
    leavesState: (rawArguments) => z.safeParse(backgroundFlag, rawArguments).data?.background === true,
    // A long answer is what the person pays OpenRouter for, and it streams: a short one counts.
    answerBytes: SHORT_ANSWER_BYTES,
    statusLabel: (rawArguments, config) => {
      const named = z.safeParse(namedModels, rawArguments).data;
      return named?.parallel_models?.join(", ") ?? named?.model ?? config.defaultModel;
    },
  },
};

/** The tool error for bad arguments, or undefined when they are good (nothing is started). */
function checkArguments(rawArguments: unknown): ToolError | undefined {
  const parsed = z.safeParse(inputSchema, rawArguments ?? {}, { reportInput: true });
  return parsed.success ? undefined : errorResult(describeArgumentIssues(TOOL_NAME, parsed.error, EXPECTED));
}

async function callChatCompletion(rawArguments: unknown, context: ToolCallContext): Promise<ToolStart> {
  // The key first: a caller without one never has its arguments read.
  if (!context.key) return { kind: "unauthorized", reason: "missing" };
  const parsed = z.safeParse(inputSchema, rawArguments ?? {}, { reportInput: true });
  if (!parsed.success)
    return { kind: "result", result: errorResult(describeArgumentIssues(TOOL_NAME, parsed.error, EXPECTED)) };

  const { background, ...args } = parsed.data;
  const { config } = context;
  const request = upstreamRequest(args, config.defaultModel);
  // Inside its durable call, the call runs here and now: background is spent once the call is one.
  const { parallel_models: models, synthesize } = args;
  if (background && !context.runsDurably) {
    const label = models?.join(", ") ?? request.model;
    return { kind: "background", answer: (started) => backgroundStarted(started, label) };
  }
  const openRouter = openRouterFor(config, context.origin, context.caller, context.clock);
  const shapeOfEach = {
    spokenFormat: request.audio?.format,
    withReasoning: args.include_reasoning === true,
    expectsJson: args.response_format !== undefined,
  };
  if (models) {
    const synthesizer = synthesize === true ? config.defaultModel : synthesize;
    return startInParallel({ request, models, synthesizer, shape: shapeOfEach }, openRouter, context.key, context);
  }
  const { model } = request;
  const start = await openRouter.startChat(context.key, request, context.signal);
  if (!start.ok) {
    if (start.status === 401) {
      // Remembered: the key's lookups said accepted a while ago, and it has since been deleted.
      await keyRejectedNow(openRouter, context.key, context.clock);
      return { kind: "unauthorized", reason: "rejected" };
    }
    return { kind: "result", result: await refusedCall(openRouter, start, model, config) };
  }
  const shape: AnswerShape = { model, ...shapeOfEach };
  const drawing = args.modalities?.includes("image") ?? false;
  return { kind: "stream", progressTotal: args.max_tokens, relay: relayOf(start.body, shape, drawing, context) };
}

function relayOf(
  body: ReadableStream<Uint8Array>,
  shape: AnswerShape,
  drawing: boolean,
  context: ToolCallContext,
): (progress: Progress) => Promise<CallToolResult> {
  return async (progress) => {
    const status = new ModelStatus(shape.model, context.clock, drawing);
    // Built once, called only when a notification goes out: it says what the model does now.
    const describe = (count: number) => status.line(count);
    // Said before any token, so that a heartbeat has words while the model is silent.
    progress.report(0, describe);
    const answer = await readAnswer(body, shape, context, status, () => progress.report(status.units, describe));
    return chatResult(answer);
  };
}
