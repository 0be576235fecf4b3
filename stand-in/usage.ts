// Prices and usage as OpenRouter reports them: token counts, and the cost in dollars from the
// model's listed per-token prices (models.ts), or DEFAULT_PRICE for a model the list does not name.
import { MODELS } from "./models.js";

/** Prices in dollars per token for models the list does not name (and the default model). */
const DEFAULT_PRICE = { prompt: 0.000001, completion: 0.000002 };

/** The model's listed prices, in dollars per token. */
export function priceOf(model: string): { prompt: number; completion: number } {
  const listed = MODELS.find((m) => m.id === model)?.pricing;
  return listed
    ? { prompt: Math.max(0, Number(listed.prompt)), completion: Math.max(0, Number(listed.completion)) }
    : DEFAULT_PRICE;
}

/**
 * Usage as OpenRouter reports it: the cost in dollars is tokens times the model's listed
 * per-token prices, an exact decimal (OpenRouter reports e.g. 0.00004026, never a binary
 * floating-point tail such as 0.000039999999999999996).
 */
export function usage(
  model: string,
  prompt: number,
  answer: number,
  reasoning = 0,
  extra: { cachedTokens?: number; searches?: number } = {},
) {
  const completion = answer + reasoning;
  const price = priceOf(model);
  const promptCost = exactDollars(prompt * price.prompt);
  const completionCost = exactDollars(completion * price.completion);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: exactDollars(promptCost + completionCost),
    is_byok: false,
    prompt_tokens_details: { cached_tokens: extra.cachedTokens ?? 0, audio_tokens: 0 },
    cost_details: {
      upstream_inference_cost: null,
      upstream_inference_prompt_cost: promptCost,
      upstream_inference_completions_cost: completionCost,
    },
    ...(reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
    ...(extra.searches ? { server_tool_use_details: { web_search_requests: extra.searches } } : {}),
  };
}

/** Dollars rounded to 12 decimals: an integer divided by a power of ten prints as its shortest decimal. */
function exactDollars(dollars: number): number {
  return Math.round(dollars * 1e12) / 1e12;
}
