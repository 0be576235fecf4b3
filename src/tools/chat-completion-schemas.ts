// The chat_completion tool's arguments and structured result, as zod schemas: the single source
// for validation in the Worker and for the JSON Schemas that tools/list shows.
import * as z from "zod/mini";

export const inputSchema = z.strictObject({
  prompt: z.string().check(
    z.minLength(1, "must not be empty"),
    z.refine((s) => s.trim() !== "", "must not be blank"),
    z.describe("The message to send to the model."),
  ),
  model: z.optional(
    z.string().check(
      z.regex(/^[\w.:~-]+\/[\w.:~-]+$/, 'must be an OpenRouter model id like "vendor/model"'),
      z.describe("OpenRouter model id, e.g. openai/gpt-4o-mini. Omit to use the server's default."),
    ),
  ),
  system: z.optional(z.string().check(z.describe("An optional system message that steers the model."))),
  max_tokens: z.optional(
    z.int().check(z.positive(), z.maximum(1_000_000), z.describe("Upper bound on tokens to generate.")),
  ),
  temperature: z.optional(
    z.number().check(z.gte(0), z.lte(2), z.describe("Sampling temperature from 0 to 2.")),
  ),
});

export const outputSchema = z.object({
  text: z.string().check(z.describe("The whole answer (partial if the call failed mid-answer).")),
  model: z.string().check(z.describe("The model that answered.")),
  finish_reason: z.nullable(z.string().check(z.describe("Why generation stopped: stop, length, error, …"))),
  usage: z.object({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    total_tokens: z.number(),
    cost: z.optional(z.number().check(z.describe("Cost in OpenRouter credits (USD)."))),
  }),
});

/** The JSON Schemas for tools/list, as `npm run schemas` writes them to chat-completion-schemas.json. */
export function toolJsonSchemas(): { inputSchema: unknown; outputSchema: unknown } {
  return {
    inputSchema: z.toJSONSchema(inputSchema, { io: "input" }),
    outputSchema: z.toJSONSchema(outputSchema, { io: "output" }),
  };
}
