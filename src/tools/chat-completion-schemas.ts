// The chat_completion tool's arguments and structured result, as zod schemas: the single source
// for validation in the Worker and for the JSON Schemas that tools/list shows.
import * as z from "zod/mini";

export const inputSchema = z.strictObject({
  prompt: z.string().check(
    z.minLength(1, "must not be empty"),
    z.refine((s) => s.trim() !== "", "must not be blank"),
  ),
  model: z.optional(z.string().check(z.regex(/^[\w.:~-]+\/[\w.:~-]+$/, 'must be an OpenRouter model id like "vendor/model"'))),
  system: z.optional(z.string()),
  max_tokens: z.optional(z.int().check(z.positive(), z.maximum(1_000_000))),
  temperature: z.optional(z.number().check(z.gte(0), z.lte(2))),
});

/**
 * What each argument means, as tools/list shows it. Only `npm run schemas` reads these (the
 * Worker serves the generated JSON), so they stay beside the zod schema rather than in it:
 * the bundle then leaves them out, and zod's describe with them (about 300 bytes gzip).
 */
const INPUT_DESCRIPTIONS: Record<keyof z.infer<typeof inputSchema>, string> = {
  prompt: "The message to send to the model.",
  model: "OpenRouter model id, e.g. openai/gpt-4o-mini. Omit to use the server's default.",
  system: "An optional system message that steers the model.",
  max_tokens: "Upper bound on tokens to generate.",
  temperature: "Sampling temperature from 0 to 2.",
};

/**
 * The JSON Schemas for tools/list, as `npm run schemas` writes them to chat-completion-schemas.json.
 * The output schema is declared in here, not at load: the Worker never checks its own output, so
 * its bundle leaves this out too.
 */
export function toolJsonSchemas(): { inputSchema: unknown; outputSchema: unknown } {
  const outputSchema = z.object({
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
  const input = z.toJSONSchema(inputSchema, { io: "input" }) as { properties: Record<string, Record<string, unknown>> };
  for (const [name, description] of Object.entries(INPUT_DESCRIPTIONS)) input.properties[name]!.description = description;
  return { inputSchema: input, outputSchema: z.toJSONSchema(outputSchema, { io: "output" }) };
}
