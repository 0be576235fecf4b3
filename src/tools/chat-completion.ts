// The `chat_completion` tool: a prompt or a conversation in, OpenRouter's streamed answer out,
// with progress while the model thinks and writes.
import * as z from "zod/mini";
import type { Config } from "../config.js";
import { inputSchema } from "./chat-completion-schemas.js";
// Generated from the zod schemas by `npm run schemas` (a test keeps them in step), so the
// Worker does not ship zod's JSON Schema generator.
import jsonSchemas from "./chat-completion-schemas.json";
import { openRouterFor, type ChatMessage, type ChatRequest } from "../openrouter/client.js";
import { describeRefusal, describeStreamFailure } from "../openrouter/errors.js";
import { closestModelIds, modelList } from "../openrouter/models.js";
import { readChatStream, type Usage } from "../openrouter/stream.js";
import { durableUnavailable, startBackground } from "./background.js";
import { describeArgumentIssues, errorResult } from "./results.js";
import type { CallToolResult, Tool, ToolCallContext, ToolDefinition, ToolStart } from "./tool.js";

const TOOL_NAME = "chat_completion";

type ChatCompletionArguments = z.infer<typeof inputSchema>;

const EXPECTED =
  "{ prompt: string } or { messages: [{role, content}, …] }, with optional model, models, system, max_tokens, " +
  "temperature, reasoning: {effort} or {max_tokens}, include_reasoning, provider, background";

/** The tool as `tools/list` shows it: the description names the default model. */
function definition(config: Config): ToolDefinition {
  return {
    name: TOOL_NAME,
    title: "Chat completion (OpenRouter)",
    description:
      "Send a prompt or a conversation to any model on OpenRouter and return its answer. Streams progress while " +
      `the model thinks and writes. Uses ${config.defaultModel} unless "model" names another (find one with list_models). ` +
      "For an answer that may take minutes (a thinking model at high effort, a long document), pass background: true and collect it with get_completion.",
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

export const chatCompletion: Tool = { name: TOOL_NAME, definition, call: callChatCompletion, check: checkArguments };

/** The tool error for bad arguments, or undefined when they are good (nothing is started). */
function checkArguments(rawArguments: unknown): CallToolResult | undefined {
  const parsed = z.safeParse(inputSchema, rawArguments ?? {});
  return parsed.success ? undefined : errorResult(describeArgumentIssues(TOOL_NAME, parsed.error, EXPECTED));
}

async function callChatCompletion(rawArguments: unknown, context: ToolCallContext): Promise<ToolStart> {
  const parsed = z.safeParse(inputSchema, rawArguments ?? {});
  if (!parsed.success) return { kind: "result", result: errorResult(describeArgumentIssues(TOOL_NAME, parsed.error, EXPECTED)) };
  if (!context.key) return { kind: "unauthorized", reason: "missing" };

  const { background, ...args } = parsed.data;
  const { config } = context;
  const request = upstreamRequest(args, config.defaultModel);
  if (background) {
    const unavailable = durableUnavailable(context.durable);
    if (unavailable) return { kind: "result", result: unavailable };
    // The durable call runs this same tool, in the foreground, with the arguments less background.
    const durable = context.durable!;
    return { kind: "result", result: await startBackground({ durable, config, key: context.key, origin: context.origin, tool: TOOL_NAME, arguments: args, model: request.model, caller: context.caller }) };
  }
  const openRouter = openRouterFor(config, context.origin, context.caller);
  const start = await openRouter.startChat(context.key, request, context.signal);
  if (!start.ok) {
    if (start.status === 401) return { kind: "unauthorized", reason: "rejected" };
    // An unknown model: OpenRouter's (cached) list tells a typo from a model without endpoints.
    const rows = start.status === 404 ? await modelList(openRouter) : undefined;
    const lookup = rows && { listed: rows.some((row) => row.id === request.model), closest: closestModelIds(rows, request.model) };
    const message = describeRefusal(start, request.model, config.defaultModel, config.upstreamIdleTimeoutMs, lookup);
    return { kind: "result", result: errorResult(message) };
  }

  return {
    kind: "stream",
    progressTotal: args.max_tokens,
    relay: async (progress) => {
      const pieces: string[] = [];
      const thoughts: string[] = [];
      const onText = context.onText;
      let tokens = 0;
      // Built once each, called only when a notification goes out: one per phase.
      const describe = (count: number) => progressMessage(request.model, count, pieces);
      const describeThinking = (count: number) => progressMessage(`${request.model} · thinking`, count, thoughts);
      const summary = await readChatStream(start.body, {
        onContent: (text) => {
          pieces.push(text);
          onText?.(text);
          progress.report(++tokens, describe);
        },
        // A thinking model's reasoning counts as progress too, so the call never goes quiet.
        onReasoning: (text) => {
          thoughts.push(text);
          progress.report(++tokens, pieces.length === 0 ? describeThinking : describe);
        },
        idleTimeoutMs: config.upstreamIdleTimeoutMs,
        signal: context.signal,
      });

      const text = pieces.join("");
      const failure = describeStreamFailure(summary, config.upstreamIdleTimeoutMs);
      const usage: Usage = summary.usage ?? { prompt_tokens: 0, completion_tokens: tokens, total_tokens: tokens };
      // An object the transport serialises, the text escaped twice. Escaping it once and splicing
      // it into both places showed no gain in `npm run bench`'s relay (10,000 tokens, 16 KB reads:
      // 0.46–0.47 ms per 1k tokens either way, two runs each).
      const structuredContent: Record<string, unknown> = {
        text,
        model: summary.model ?? request.model,
        ...(summary.provider === undefined ? {} : { provider: summary.provider }),
        finish_reason: summary.finishReason ?? null,
        usage,
        ...(args.include_reasoning ? { reasoning: thoughts.join("") } : {}),
        ...(failure ? { error: failure } : {}),
      };
      const result: CallToolResult = { content: text === "" && failure ? [] : [{ type: "text", text }], structuredContent };
      if (failure) {
        result.content.push({ type: "text", text: failure });
        result.isError = true;
      }
      return result;
    },
  };
}

/** The turns to send: the conversation or the prompt, after the system message if any. */
function upstreamRequest(args: ChatCompletionArguments, defaultModel: string): ChatRequest {
  const messages: ChatMessage[] = args.system === undefined ? [] : [{ role: "system", content: args.system }];
  if (args.messages) messages.push(...args.messages);
  else messages.push({ role: "user", content: args.prompt ?? "" });
  const { model, models, max_tokens, temperature, reasoning, provider } = args;
  return { model: model ?? defaultModel, messages, models, max_tokens, temperature, reasoning, provider };
}

/** "model · 42 tokens · …latest words" */
function progressMessage(model: string, tokens: number, pieces: readonly string[]): string {
  let tail = "";
  for (let i = pieces.length - 1; i >= 0 && tail.length < 60; i--) tail = pieces[i] + tail;
  tail = tail.replace(/\s+/g, " ").trim();
  if (tail.length > 60) tail = `…${tail.slice(-60)}`;
  return `${model} · ${tokens} token${tokens === 1 ? "" : "s"} · ${tail}`;
}
