// The chat_completion tool's arguments and structured result, as zod schemas: the single source
// for validation in the Worker and for the JSON Schemas that tools/list shows.
import * as z from "zod/mini";
import { content, file, link, MAX_PARTS, textLength } from "./chat-content.js";
import { provider, serviceTier } from "./chat-provider.js";
import { integer } from "../decode.js";
import { outputSchema } from "./chat-completion-output.js";
import { jsonSchemas } from "./json-schemas.js";

/** Caps on a conversation given as `messages`: its text (data URLs count against the body cap instead). */
export const MAX_TURNS = 200;
export const MAX_CONVERSATION_CHARS = 500_000;
/** OpenRouter takes at most 3 models per request: the model, then up to 2 fallbacks. */
export const MAX_FALLBACKS = 2;
/** Models asked the same thing at once (parallel_models): a second opinion, up to a small panel. */
export const MIN_PARALLEL = 2;
export const MAX_PARALLEL = 5;

/**
 * A model id as OpenRouter takes it: "vendor/model" (with a variant such as ":online"), an alias
 * that follows a family ("~openai/gpt-latest"), a preset ("@preset/slug"), or a model with a
 * preset ("openai/gpt-5@preset/slug"). Sent upstream unchanged.
 */
export const modelId = z
  .string()
  .check(
    z.maxLength(200, "must be at most 200 characters"),
    z.regex(
      /^(?:@preset|[\w.:~-]+)\/[\w.:~-]+(?:@preset\/[\w.-]+)?$/,
      'must be an OpenRouter model id like "vendor/model", "~vendor/family-latest" or "@preset/slug"',
    ),
  );

const turn = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content,
});

const tokens = integer().check(z.positive(), z.maximum(1_000_000));

/** Audio out: OpenRouter's formats (guides/overview/multimodal/audio); pcm16 comes back as WAV. */
export const AUDIO_FORMATS = ["wav", "mp3", "flac", "opus", "pcm16"] as const;

export const inputSchema = z
  .strictObject({
    prompt: z.optional(
      z.string().check(
        z.minLength(1),
        z.refine((s) => s.trim() !== "", "must not be blank"),
      ),
    ),
    images: z.optional(z.array(link).check(z.minLength(1))),
    videos: z.optional(z.array(link).check(z.minLength(1))),
    files: z.optional(z.array(file).check(z.minLength(1))),
    messages: z.optional(
      z.array(turn).check(
        z.minLength(1),
        z.maxLength(MAX_TURNS),
        z.refine(
          (turns) => turns.reduce((sum, t) => sum + textLength(t.content), 0) <= MAX_CONVERSATION_CHARS,
          `must hold at most ${MAX_CONVERSATION_CHARS} characters of text in all`,
        ),
      ),
    ),
    model: z.optional(modelId),
    models: z.optional(z.array(modelId).check(z.minLength(1), z.maxLength(MAX_FALLBACKS))),
    parallel_models: z.optional(
      z.array(modelId).check(
        z.minLength(MIN_PARALLEL, `must name ${MIN_PARALLEL} to ${MAX_PARALLEL} models`),
        z.maxLength(MAX_PARALLEL, `must name ${MIN_PARALLEL} to ${MAX_PARALLEL} models`),
        z.refine((ids) => new Set(ids).size === ids.length, "must name each model once"),
      ),
    ),
    synthesize: z.optional(z.union([modelId, z.literal(true)])),
    system: z.optional(z.string()),
    max_tokens: z.optional(tokens),
    temperature: z.optional(z.number().check(z.gte(0), z.lte(2))),
    reasoning: z.optional(
      z
        .strictObject({
          effort: z.optional(z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"])),
          max_tokens: z.optional(tokens),
          summary: z.optional(z.enum(["auto", "concise", "detailed"])),
        })
        .check(
          z.refine((r) => r.effort === undefined || r.max_tokens === undefined, "takes effort or max_tokens, not both"),
          z.refine((r) => Object.values(r).some((v) => v !== undefined), "needs effort, max_tokens or summary"),
        ),
    ),
    include_reasoning: z.optional(z.boolean()),
    verbosity: z.optional(z.enum(["low", "medium", "high", "xhigh", "max"])),
    response_format: z.optional(
      z.union([
        z.strictObject({ type: z.enum(["json_object"]) }),
        z.strictObject({
          type: z.enum(["json_schema"]),
          json_schema: z.strictObject({
            name: z.string().check(z.regex(/^[\w-]{1,64}$/, "must be 1 to 64 of a-z, 0-9, _, -")),
            schema: z.looseObject({}),
            strict: z.optional(z.boolean()),
          }),
        }),
      ]),
    ),
    modalities: z.optional(z.array(z.enum(["text", "image", "audio"])).check(z.minLength(1))),
    audio: z.optional(
      z.strictObject({
        voice: z.optional(z.string().check(z.regex(/^[\w-]{1,64}$/, 'must be a voice name like "alloy"'))),
        format: z.optional(z.enum(AUDIO_FORMATS)),
      }),
    ),
    // Its keys and values are the image model's (strings, numbers, lists): OpenRouter passes them on.
    image_config: z.optional(z.looseObject({})),
    web_search: z.optional(
      z.union([
        z.boolean(),
        z.strictObject({
          engine: z.optional(z.enum(["auto", "native", "exa", "parallel", "firecrawl", "perplexity"])),
          max_results: z.optional(integer().check(z.positive(), z.maximum(20))),
          max_total_results: z.optional(integer().check(z.positive(), z.maximum(100))),
        }),
      ]),
    ),
    pdf: z.optional(z.strictObject({ engine: z.enum(["cloudflare-ai", "mistral-ocr", "native"]) })),
    provider: z.optional(provider),
    service_tier: z.optional(serviceTier),
    session_id: z.optional(z.string().check(z.minLength(1), z.maxLength(256, "must be at most 256 characters"))),
    background: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((args, ctx) => {
      const issue = (message: string, path?: string[]) =>
        ctx.addIssue({ code: "custom", input: args, message, ...(path ? { path } : {}) });
      if ((args.prompt === undefined) === (args.messages === undefined)) {
        issue(args.prompt === undefined ? 'need "prompt" or "messages"' : 'take "prompt" or "messages", not both');
      }
      const attached = (args.images?.length ?? 0) + (args.videos?.length ?? 0) + (args.files?.length ?? 0);
      if (attached > 0 && args.prompt === undefined)
        issue('go with "prompt", not "messages"', [args.images ? "images" : args.videos ? "videos" : "files"]);
      if (attached >= MAX_PARTS) issue(`with "videos" and "files" take at most ${MAX_PARTS - 1} in all`, ["images"]);
      if (args.audio && !args.modalities?.includes("audio"))
        issue('goes with "modalities" that include "audio"', ["audio"]);
      if (args.parallel_models) {
        for (const field of ["model", "models", "modalities"] as const)
          if (args[field] !== undefined)
            issue(`does not go with "parallel_models", which names every model and answers in text`, [field]);
      } else if (args.synthesize !== undefined) issue('goes with "parallel_models"', ["synthesize"]);
      const budget = args.reasoning?.max_tokens;
      if (budget !== undefined && args.max_tokens !== undefined && budget >= args.max_tokens) {
        issue("must be below max_tokens, which leaves room for the answer", ["reasoning", "max_tokens"]);
      }
    }),
  );

export type ChatCompletionArguments = z.infer<typeof inputSchema>;

/**
 * What tools/list says about each argument. Kept out of the zod schemas above, which the Worker
 * runs: only `npm run schemas` needs these words, so the bundle carries them once, in the JSON.
 */
function descriptions(): Record<string, string> {
  return {
    prompt: 'The user message. Give this or "messages".',
    images: "Images for the prompt: https or data: URLs.",
    videos: "Videos for the prompt (mp4, mpeg, mov, webm), for models that take video: https or data: URLs.",
    files: "PDFs for the prompt: [{filename, file_data}].",
    messages: `A conversation instead of "prompt": [{role, content}]; content is text or up to ${MAX_PARTS} parts (text, image_url, video_url, file, input_audio) as OpenRouter takes them.`,
    model:
      'OpenRouter model id (see list_models), "~vendor/family-latest" or "@preset/slug"; ":online" searches the web. Default: the server\'s.',
    models: `Up to ${MAX_FALLBACKS} fallback models.`,
    parallel_models: `${MIN_PARALLEL} to ${MAX_PARALLEL} model ids asked the same thing at once, instead of "model": each answer under its model's id, failures kept apart, the total cost.`,
    synthesize:
      "With parallel_models: a model id (true: the server's default) that reads the answers and writes one, streamed after them.",
    system: "Sent first, as the system message.",
    max_tokens: "Most tokens to generate, reasoning included.",
    reasoning:
      "Thinking: {effort: none|minimal|low|medium|high|xhigh|max} or {max_tokens}, and/or {summary: auto|concise|detailed}.",
    include_reasoning: "Return the reasoning text in structuredContent.",
    response_format:
      '{type: "json_schema", json_schema: {name, schema, strict}} or {type: "json_object"}: the answer is parsed into structuredContent.json.',
    web_search: "true or {engine, max_results, max_total_results}: search the web, citing sources.",
    modalities: '["image", "text"] for a model that draws, ["text", "audio"] for one that speaks (audio blocks).',
    audio: `With "audio" in modalities: {voice (default alloy), format: ${AUDIO_FORMATS.join("|")} (default wav)}.`,
    pdf: "{engine: cloudflare-ai|mistral-ocr|native}: how PDFs are read.",
    provider:
      "Routing: sort, preferred_max_latency, preferred_min_throughput, order, only, ignore, allow_fallbacks, require_parameters, data_collection, zdr, quantizations, max_price.",
    service_tier:
      "auto|default|flex (cheaper, slower)|priority (faster, dearer)|fast|scale, where the model offers it.",
    session_id:
      "Groups the calls of one conversation (up to 256 characters): OpenRouter keeps them on one provider, for its prompt cache.",
    background:
      "true: answer at once with a completion id and keep working; get_completion with that id waits for the answer. " +
      "For answers that may take minutes (thinking at high effort, long documents, slow providers), which no timeout then cuts off.",
  };
}

/** Nested unions that tools/list shows in words (see jsonSchemas); the zod schema checks every field. */
function shorthands(): Record<string, Record<string, unknown>> {
  const link = { type: "string" };
  const object = { type: "object" };
  return {
    "images.items": link,
    "files.items": object,
    messages: { type: "array", items: object },
    response_format: object,
    image_config: object,
    modalities: { type: "array", items: link },
    audio: object,
    web_search: { anyOf: [{ type: "boolean" }, object] },
    pdf: object,
    provider: object,
    "videos.items": link,
  };
}

/** The JSON Schemas for tools/list, as `npm run schemas` writes them to chat-completion-schemas.json. */
export function toolJsonSchemas(): { inputSchema: unknown; outputSchema: unknown } {
  return jsonSchemas(inputSchema, outputSchema(), descriptions(), shorthands());
}
