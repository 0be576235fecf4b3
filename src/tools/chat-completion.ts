// The `chat_completion` tool: one prompt in, OpenRouter's streamed answer out, with progress.
import * as z from "zod/mini";
import type { Config } from "../config.js";
import { inputSchema } from "./chat-completion-schemas.js";
// Generated from the zod schemas by `npm run schemas` (a test keeps them in step), so the
// Worker does not ship zod's JSON Schema generator.
import jsonSchemas from "./chat-completion-schemas.json";
import { startChatCompletion, type ChatRequest } from "../openrouter/client.js";
import { describeRefusal, describeStreamFailure } from "../openrouter/errors.js";
import { readChatStream, type Usage } from "../openrouter/stream.js";
import type { Tool, ToolCallContext, ToolStart } from "./index.js";

const TOOL_NAME = "chat_completion";

let definitionJson: { defaultModel: string; json: string } | undefined;

/** The tool as `tools/list` shows it, serialised once per default model. */
function toolDefinitionJson(config: Config): string {
  if (definitionJson?.defaultModel === config.defaultModel) return definitionJson.json;
  const definition = {
    name: TOOL_NAME,
    title: "Chat completion (OpenRouter)",
    description:
      "Send a prompt to any model on OpenRouter and return its answer. Streams progress while the model " +
      `writes. Uses ${config.defaultModel} unless "model" names another (see https://openrouter.ai/models).`,
    inputSchema: jsonSchemas.inputSchema,
    outputSchema: jsonSchemas.outputSchema,
    annotations: {
      title: "Chat completion (OpenRouter)",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
  };
  definitionJson = { defaultModel: config.defaultModel, json: JSON.stringify(definition) };
  return definitionJson.json;
}

export const chatCompletion: Tool = { name: TOOL_NAME, definitionJson: toolDefinitionJson, call: callChatCompletion };

async function callChatCompletion(rawArguments: unknown, context: ToolCallContext): Promise<ToolStart> {
  const parsed = z.safeParse(inputSchema, rawArguments ?? {});
  if (!parsed.success) return { kind: "result", resultJson: errorResultJson(describeArgumentIssues(parsed.error)) };
  if (!context.key) return { kind: "unauthorized", reason: "missing" };

  const args = parsed.data;
  const { config } = context;
  const request: ChatRequest = { ...args, model: args.model ?? config.defaultModel };
  const start = await startChatCompletion(
    { baseUrl: config.openRouterBaseUrl, referer: context.origin, idleTimeoutMs: config.upstreamIdleTimeoutMs },
    context.key,
    request,
    context.signal,
  );
  if (!start.ok) {
    if (start.status === 401) return { kind: "unauthorized", reason: "rejected" };
    return { kind: "result", resultJson: errorResultJson(describeRefusal(start, request.model, config.defaultModel, config.upstreamIdleTimeoutMs)) };
  }

  return {
    kind: "stream",
    progressTotal: args.max_tokens,
    relay: async (progress) => {
      const pieces: string[] = [];
      let tokens = 0;
      // Built once, called only when a notification goes out.
      const describe = (count: number) => progressMessage(request.model, count, pieces);
      const summary = await readChatStream(start.body, {
        onContent: (text) => {
          pieces.push(text);
          progress.report(++tokens, describe);
        },
        idleTimeoutMs: config.upstreamIdleTimeoutMs,
        signal: context.signal,
      });

      const text = pieces.join("");
      const failure = describeStreamFailure(summary, config.upstreamIdleTimeoutMs);
      const usage: Usage = summary.usage ?? { prompt_tokens: 0, completion_tokens: tokens, total_tokens: tokens };
      const textJson = JSON.stringify(text);
      const structured =
        `{"text":${textJson},"model":${JSON.stringify(summary.model ?? request.model)},` +
        `"finish_reason":${JSON.stringify(summary.finishReason ?? null)},"usage":${JSON.stringify(usage)}}`;
      const blocks = [`{"type":"text","text":${textJson}}`];
      if (failure) {
        if (text === "") blocks.pop();
        blocks.push(`{"type":"text","text":${JSON.stringify(failure)}}`);
      }
      return `{"content":[${blocks.join(",")}],"structuredContent":${structured}${failure ? ',"isError":true' : ""}}`;
    },
  };
}

/** "model · 42 tokens · …latest words" */
function progressMessage(model: string, tokens: number, pieces: readonly string[]): string {
  let tail = "";
  for (let i = pieces.length - 1; i >= 0 && tail.length < 60; i--) tail = pieces[i] + tail;
  tail = tail.replace(/\s+/g, " ").trim();
  if (tail.length > 60) tail = `…${tail.slice(-60)}`;
  return `${model} · ${tokens} token${tokens === 1 ? "" : "s"} · ${tail}`;
}

function errorResultJson(message: string): string {
  return `{"content":[{"type":"text","text":${JSON.stringify(message)}}],"isError":true}`;
}

function describeArgumentIssues(error: z.core.$ZodError): string {
  const details = error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    const field = issue.path.length ? `"${issue.path.join(".")}"` : "arguments";
    if (issue.code === "invalid_type" && issue.input === undefined) return `${field} is required`;
    return `${field} ${issue.message}`;
  });
  return `Invalid arguments for ${TOOL_NAME}: ${details.join("; ")}. Expected { prompt: string, model?: string, system?: string, max_tokens?: integer, temperature?: number 0–2 }.`;
}
