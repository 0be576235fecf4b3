// The list_models tool's arguments and structured result, as zod schemas: the single source for
// validation in the Worker and for the JSON Schemas that tools/list shows.
import * as z from "zod/mini";
import { integer } from "../decode.js";
import { jsonSchemas } from "./json-schemas.js";

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 50;

export const inputSchema = z.strictObject({
  query: z.optional(z.string().check(z.maxLength(200, "must be at most 200 characters"))),
  min_context_length: z.optional(integer().check(z.positive())),
  max_price: z.optional(z.number().check(z.gte(0))),
  input_modality: z.optional(z.enum(["text", "image", "file", "audio", "video"])),
  output_modality: z.optional(z.enum(["text", "image", "audio", "embeddings"])),
  supported_parameters: z.optional(
    z.array(z.string().check(z.regex(/^[a-z_]{1,40}$/, 'must be a parameter name like "tools"'))).check(z.minLength(1)),
  ),
  sort: z.optional(z.enum(["price", "throughput", "latency", "context", "newest", "popular"])),
  limit: z.optional(integer().check(z.positive(), z.maximum(MAX_PAGE))),
  cursor: z.optional(
    z.string().check(z.regex(/^\d{1,6}$/, "must be the next_cursor of an earlier list_models result")),
  ),
});

/** What tools/list says about each argument (kept out of the zod schema the Worker runs). */
function descriptions(): Record<string, string> {
  return {
    query: 'Words to find in the id, name or description, e.g. "claude" or "vision coding".',
    min_context_length: "Context window of at least this many tokens.",
    max_price: "Dollars per million tokens, prompt and completion alike, at most; 0 for free models.",
    input_modality: "A kind of input the model must take.",
    output_modality: "A kind of output the model must give.",
    supported_parameters: 'Parameters the model must take, e.g. ["structured_outputs"] or ["reasoning"].',
    sort: "As OpenRouter orders its list: price (cheapest first), throughput (fastest first), latency (quickest to start), context (largest first), newest, popular.",
    limit: `Rows per page (default ${DEFAULT_PAGE}, at most ${MAX_PAGE}).`,
    cursor: "The next_cursor of the previous page.",
  };
}

/** The structured result, for tools/list only: built on demand, so the Worker does not ship it. */
function outputSchema() {
  const price = z.nullable(z.number().check(z.describe("Dollars per million tokens; null when it varies.")));
  return z.object({
    models: z.array(
      z.object({
        id: z.string().check(z.describe("The id to pass to chat_completion as model.")),
        name: z.string(),
        // A description makes zod write anyOf [number, null], not type: ["number", "null"], which
        // MCP Inspector flags as not portable (a single-type dialect such as Gemini's rejects it).
        context_length: z.nullable(
          z.number().check(z.describe("Tokens the model takes in at once; null when OpenRouter does not say.")),
        ),
        prompt_price: price,
        completion_price: price,
        input_modalities: z.array(z.string()),
        output_modalities: z.array(z.string()),
      }),
    ),
    total: z.number().check(z.describe("How many models match, over all pages.")),
    next_cursor: z.optional(z.string().check(z.describe("Pass as cursor for the next page; absent on the last."))),
  });
}

/** The JSON Schemas for tools/list, as `npm run schemas` writes them to list-models-schemas.json. */
export function toolJsonSchemas(): { inputSchema: unknown; outputSchema: unknown } {
  return jsonSchemas(inputSchema, outputSchema(), descriptions());
}
