// chat_completion's structured result as a zod schema, for tools/list only (`npm run schemas`
// writes it to chat-completion-schemas.json): built on demand, so the Worker does not ship it.
// One shape for every call: one model's answer, a refusal (no answer, the advice as fields), and
// several models' answers at once (each under its model's id, the totals at the top).
import * as z from "zod/mini";

export function outputSchema() {
  const count = z.optional(z.number());
  const usage = z.object({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    total_tokens: z.number(),
    cost: z.optional(z.number().check(z.describe("USD."))),
    reasoning_tokens: count,
    cached_tokens: count,
    cache_write_tokens: count,
    web_search_requests: count,
    cost_details: z.optional(z.record(z.string(), z.number())),
  });
  const answer = {
    text: z.string(),
    model: z.string(),
    provider: z.optional(z.string()),
    finish_reason: z.nullable(z.string().check(z.describe("stop, length, error, …"))),
    usage,
    reasoning: z.optional(z.string()),
    json: z.optional(z.unknown().check(z.describe("The answer parsed as JSON, with response_format."))),
    citations: z.optional(z.array(z.object({ url: z.string(), title: z.string() }))),
    error: z.optional(z.string().check(z.describe("Why the answer is incomplete, or why there is none."))),
    suggestions: z.optional(
      z
        .object({
          retry_after_seconds: z.optional(z.number()),
          models: z.optional(z.array(z.string()).check(z.describe("Model ids to try instead."))),
          add_credits_url: z.optional(z.string()),
        })
        .check(z.describe("What to do after a refusal, as OpenRouter suggests it.")),
    ),
    availability: z.optional(
      z
        .object({ code: z.string(), retryable: z.boolean() })
        .check(z.describe("OpenRouter's reason a model could not be served (its error.availability.code).")),
    ),
    truncated: z.optional(
      z
        .boolean()
        .check(z.describe("The text was cut to keep the result under its cap (a durable call's, or a share of it).")),
    ),
  };
  const oneOfSeveral = z.object(answer);
  return z.object({
    ...answer,
    text: z
      .string()
      .check(
        z.describe(
          "The answer (partial if it failed mid-answer); with parallel_models, the synthesis, or else every answer under its model's heading.",
        ),
      ),
    model: z
      .string()
      .check(z.describe("The model that answered; with parallel_models, the synthesizer, or else the models asked.")),
    usage: usage.check(z.describe("Tokens and cost; with parallel_models, every call's together (cost: the total).")),
    images: z.optional(
      z.array(z.object({ mime_type: z.string(), bytes: z.number(), omitted: z.optional(z.boolean()) })),
    ),
    audio: z.optional(
      z
        .object({ mime_type: z.string(), bytes: z.number(), transcript: z.string(), omitted: z.optional(z.boolean()) })
        .check(z.describe("The spoken answer, whose data is the audio content block.")),
    ),
    answers: z.optional(
      z
        .record(z.string(), oneOfSeveral)
        .check(z.describe("With parallel_models: each model's answer under its id, failures kept apart.")),
    ),
    synthesis: z.optional(oneOfSeveral.check(z.describe("With synthesize: the synthesizer's own answer and usage."))),
    completion: z.optional(
      z
        .object({
          id: z.string().check(z.describe("Pass it to get_completion.")),
          status: z.enum(["working", "completed", "failed", "cancelled"]),
          status_message: z.string(),
        })
        .check(z.describe("A background completion: its id and how it stands.")),
    ),
  });
}
