// chat_completion's `provider` argument: OpenRouter's provider routing preferences, checked here
// and passed on as given (guides/routing/provider-selection in OpenRouter's docs).
import * as z from "zod/mini";

const providerSlugs = z
  .array(z.string().check(z.regex(/^[\w./-]{1,64}$/, 'must be a provider slug like "anthropic"')))
  .check(z.minLength(1), z.maxLength(20));

/** Dollars per million tokens (or per image, request, audio unit), as OpenRouter's max_price reads them. */
const dollars = z.optional(z.number().check(z.gte(0)));

const sortBy = z.enum(["price", "throughput", "latency"]);

/**
 * A preference over an endpoint's recent performance: a number (OpenRouter applies it to the
 * median), or cutoffs per percentile, all of which must hold for an endpoint to be preferred.
 */
function performance(unit: string) {
  const cutoff = z.optional(z.number().check(z.positive()));
  return z.union([
    z.number().check(z.positive()),
    z
      .strictObject({ p50: cutoff, p75: cutoff, p90: cutoff, p99: cutoff })
      .check(
        z.refine(
          (p) => Object.values(p).some((v) => v !== undefined),
          `needs at least one of p50, p75, p90, p99 (${unit})`,
        ),
      ),
  ]);
}

export const provider = z.strictObject({
  sort: z.optional(z.union([sortBy, z.strictObject({ by: sortBy, partition: z.optional(z.enum(["model", "none"])) })])),
  preferred_max_latency: z.optional(performance("seconds")),
  preferred_min_throughput: z.optional(performance("tokens a second")),
  order: z.optional(providerSlugs),
  only: z.optional(providerSlugs),
  ignore: z.optional(providerSlugs),
  allow_fallbacks: z.optional(z.boolean()),
  require_parameters: z.optional(z.boolean()),
  data_collection: z.optional(z.enum(["allow", "deny"])),
  zdr: z.optional(z.boolean()),
  quantizations: z.optional(
    z
      .array(
        z.enum(["int4", "int8", "fp4", "mxfp4", "nvfp4", "fp6", "fp8", "mxfp8", "fp16", "bf16", "fp32", "unknown"]),
      )
      .check(z.minLength(1)),
  ),
  max_price: z.optional(
    z.strictObject({ prompt: dollars, completion: dollars, image: dollars, audio: dollars, request: dollars }),
  ),
});

/** OpenRouter's service tiers (guides/features/service-tiers): `fast` is its alias for `priority`. */
export const serviceTier = z.enum(["auto", "default", "flex", "priority", "fast", "scale"]);
