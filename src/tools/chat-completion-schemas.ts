// The chat_completion tool's arguments and structured result, as zod schemas: the single source
// for validation in the Worker and for the JSON Schemas that tools/list shows.
import * as z from "zod/mini";
import { jsonSchemas } from "./json-schemas.js";

/** Caps on a conversation given as `messages` (the 1 MB request body cap applies on top). */
export const MAX_TURNS = 200;
export const MAX_CONVERSATION_CHARS = 500_000;
/** OpenRouter takes at most 3 models per request: the model, then up to 2 fallbacks. */
export const MAX_FALLBACKS = 2;

export const modelId = z.string().check(z.regex(/^[\w.:~-]+\/[\w.:~-]+$/, 'must be an OpenRouter model id like "vendor/model"'));

const providerSlugs = z.array(z.string().check(z.regex(/^[\w.\/-]{1,64}$/, 'must be a provider slug like "anthropic"'))).check(
  z.minLength(1, "must name at least one provider"),
  z.maxLength(20, "must name at most 20 providers"),
);

const turn = z.strictObject({
  role: z.enum(["system", "user", "assistant"], 'must be "system", "user" or "assistant"'),
  content: z.string().check(z.minLength(1, "must not be empty")),
});

export const inputSchema = z
  .strictObject({
    prompt: z.optional(
      z.string().check(
        z.minLength(1, "must not be empty"),
        z.refine((s) => s.trim() !== "", "must not be blank"),
      ),
    ),
    messages: z.optional(
      z.array(turn).check(
        z.minLength(1, "must hold at least one message"),
        z.maxLength(MAX_TURNS, `must hold at most ${MAX_TURNS} messages`),
        z.refine(
          (turns) => turns.reduce((sum, t) => sum + t.content.length, 0) <= MAX_CONVERSATION_CHARS,
          `must hold at most ${MAX_CONVERSATION_CHARS} characters in all`,
        ),
      ),
    ),
    model: z.optional(modelId),
    models: z.optional(
      z.array(modelId).check(
        z.minLength(1, "must name at least one model"),
        z.maxLength(MAX_FALLBACKS, `must name at most ${MAX_FALLBACKS} models`),
      ),
    ),
    system: z.optional(z.string()),
    max_tokens: z.optional(z.int().check(z.positive(), z.maximum(1_000_000))),
    temperature: z.optional(z.number().check(z.gte(0), z.lte(2))),
    reasoning: z.optional(
      z
        .strictObject({
          effort: z.optional(z.enum(["none", "minimal", "low", "medium", "high", "xhigh"], "must be none, minimal, low, medium, high or xhigh")),
          max_tokens: z.optional(z.int().check(z.positive(), z.maximum(1_000_000))),
        })
        .check(z.refine((r) => (r.effort === undefined) !== (r.max_tokens === undefined), "needs exactly one of effort or max_tokens")),
    ),
    include_reasoning: z.optional(z.boolean()),
    provider: z.optional(
      z.strictObject({
        sort: z.optional(z.enum(["price", "throughput", "latency"], "must be price, throughput or latency")),
        order: z.optional(providerSlugs),
        only: z.optional(providerSlugs),
        ignore: z.optional(providerSlugs),
        allow_fallbacks: z.optional(z.boolean()),
      }),
    ),
    background: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((args, ctx) => {
      if ((args.prompt === undefined) === (args.messages === undefined)) {
        ctx.addIssue({
          code: "custom",
          input: args,
          message: args.prompt === undefined ? 'need "prompt" or "messages"' : 'take "prompt" or "messages", not both',
        });
      }
      const budget = args.reasoning?.max_tokens;
      if (budget !== undefined && args.max_tokens !== undefined && budget >= args.max_tokens) {
        ctx.addIssue({ code: "custom", input: args, path: ["reasoning", "max_tokens"], message: "must be below max_tokens, which leaves room for the answer" });
      }
    }),
  );

/**
 * What tools/list says about each argument. Kept out of the zod schemas above, which the Worker
 * runs: only `npm run schemas` needs these words, so the bundle carries them once, in the JSON.
 */
function descriptions(): Record<string, string> {
  return {
    prompt: 'The message to send to the model. Give this or "messages".',
    messages: `A whole conversation, sent in order, instead of "prompt" (at most ${MAX_TURNS} messages, ${MAX_CONVERSATION_CHARS} characters).`,
    model: "OpenRouter model id (see list_models). Omit for the server's default.",
    models: `Up to ${MAX_FALLBACKS} fallback models, tried in order if the model fails.`,
    system: "A system message, sent first.",
    max_tokens: "Upper bound on tokens to generate, reasoning included.",
    temperature: "Sampling temperature from 0 to 2.",
    reasoning: "How much a thinking model thinks: {effort: none|minimal|low|medium|high|xhigh} or a budget {max_tokens}.",
    include_reasoning: "Return the model's reasoning text in the structured result.",
    provider: "OpenRouter provider routing: sort (price|throughput|latency), order, only (allow), ignore (deny), allow_fallbacks.",
    background:
      "true: answer at once with a completion id and keep working on the server; then call get_completion with that id to wait for the answer. " +
      "Use it for answers that may take minutes (thinking models at high effort, long documents, slow providers), so that no timeout cuts them off.",
  };
}

/** The structured result, for tools/list only: built on demand, so the Worker does not ship it. */
export function outputSchema() {
  return z.object({
    text: z.string().check(z.describe("The whole answer (partial if the call failed mid-answer).")),
    model: z.string().check(z.describe("The model that answered (a fallback, perhaps).")),
    provider: z.optional(z.string().check(z.describe("The provider that served it."))),
    finish_reason: z.nullable(z.string().check(z.describe("Why generation stopped: stop, length, error, …"))),
    usage: z.object({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      total_tokens: z.number(),
      cost: z.optional(z.number().check(z.describe("Cost in OpenRouter credits (USD)."))),
      reasoning_tokens: z.optional(z.number().check(z.describe("Of completion_tokens, those spent thinking."))),
    }),
    reasoning: z.optional(z.string().check(z.describe("The reasoning text, when include_reasoning is set."))),
    error: z.optional(z.string().check(z.describe("Why the answer is incomplete, when the call failed mid-answer; text then holds the partial answer."))),
    completion: z.optional(
      z
        .object({
          id: z.string().check(z.describe("Pass it to get_completion.")),
          status: z.enum(["working", "completed", "failed", "cancelled"]),
          status_message: z.string(),
        })
        .check(z.describe("A background completion (background: true, and get_completion): its id and how it stands.")),
    ),
  });
}

/** The JSON Schemas for tools/list, as `npm run schemas` writes them to chat-completion-schemas.json. */
export function toolJsonSchemas(): { inputSchema: unknown; outputSchema: unknown } {
  return jsonSchemas(inputSchema, outputSchema(), descriptions());
}
