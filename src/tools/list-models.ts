// The `list_models` tool: OpenRouter's public model list, filtered and paged as compact rows.
// Needs no key; the list is cached for a few minutes (openrouter/models.ts).
import * as z from "zod/mini";
import { openRouterFor, type OpenRouter } from "../openrouter/client.js";
import { filterModels, modelList } from "../openrouter/models.js";
import { DEFAULT_PAGE, inputSchema, MAX_PAGE } from "./list-models-schemas.js";
// Generated from the zod schemas by `npm run schemas` (a test keeps them in step).
import jsonSchemas from "./list-models-schemas.json";
import { describeArgumentIssues, errorResult } from "./results.js";
import type { CallToolResult } from "../tool-result.js";
import type { Tool, ToolCallContext, ToolDefinition, ToolStart } from "./tool.js";

const LIST_MODELS = "list_models";

const TITLE = "List models (OpenRouter)";

/** The tool as `tools/list` shows it. */
const definition: ToolDefinition = {
  name: LIST_MODELS,
  title: TITLE,
  description:
    "Find OpenRouter models by words, context length, price, modality or supported parameters, sorted by price, " +
    "throughput, latency, context or age if asked: a page of compact rows (prices per million tokens; modalities say " +
    'which take video and which speak: input_modality "video", output_modality "audio"). Pass an id to chat_completion as model.',
  inputSchema: jsonSchemas.inputSchema,
  outputSchema: jsonSchemas.outputSchema,
  // Read-only: it reads OpenRouter's public list, without the caller's key and at no cost (the
  // only write is this server's own cache of it). destructiveHint and idempotentHint mean
  // something only for a tool that is not read-only (MCP spec, ToolAnnotations); both are stated
  // truly for hosts that read them anyway. Open world: the list is OpenRouter's, and changes there.
  annotations: { title: TITLE, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
};

/** A row of a page, in the text and again in structuredContent: some 430 bytes for the stand-in's rows. */
const ROW_BYTES = 640;

export const listModels: Tool = {
  name: LIST_MODELS,
  definition: () => definition,
  call: callListModels,
  // It reads OpenRouter's public list: no key needed (under OPEN_DISCOVERY), nothing left behind.
  policy: { needsKey: false, readsDurableCalls: false, leavesState: () => false, answerBytes: MAX_PAGE * ROW_BYTES },
};

async function callListModels(
  rawArguments: unknown,
  { config, origin, caller, clock }: ToolCallContext,
): Promise<ToolStart> {
  return { kind: "result", result: await listModelsResult(rawArguments, openRouterFor(config, origin, caller, clock)) };
}

async function listModelsResult(rawArguments: unknown, openRouter: OpenRouter): Promise<CallToolResult> {
  const parsed = z.safeParse(inputSchema, rawArguments ?? {}, { reportInput: true });
  if (!parsed.success) {
    return errorResult(
      describeArgumentIssues(LIST_MODELS, parsed.error, "the optional arguments tools/list describes"),
    );
  }
  const { limit = DEFAULT_PAGE, cursor, sort, ...filter } = parsed.data;
  const rows = await modelList(openRouter, sort);
  if (!rows)
    return errorResult(
      "Could not fetch OpenRouter's model list. Retry in a moment, or browse https://openrouter.ai/models.",
    );
  const matching = filterModels(rows, filter, sort !== undefined);
  const offset = Number(cursor ?? 0);
  const page = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? String(offset + limit) : undefined;
  const models = page.map(({ description, supported_parameters, ...row }) => row);
  const structuredContent = { models, total: matching.length, ...(next === undefined ? {} : { next_cursor: next }) };
  // The text is the same JSON, as MCP suggests for clients that read only content.
  return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
}
