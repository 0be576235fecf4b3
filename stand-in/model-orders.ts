// The stand-in's model list in the orders OpenRouter's /models can sort it by (its `sort`
// parameter): by price, context and date from the list itself, and by throughput and latency,
// which the stand-in makes up per model.
import type { ListedModel } from "./model-list/listed-model.js";
import { MODELS } from "./models.js";

/**
 * The list in one of the orders OpenRouter's `sort` parameter names (guides/overview/models):
 * by price, context, date, or by throughput and latency, which the stand-in makes up per model
 * (steady figures, so a test can expect an order). An order it does not know leaves the list as
 * it is, as OpenRouter does.
 */
export function sortedModels(sort: string): ListedModel[] {
  const price = (m: ListedModel) => {
    const prompt = Number(m.pricing.prompt);
    return prompt < 0 ? Infinity : prompt + Number(m.pricing.completion);
  };
  const keys: Record<string, (m: ListedModel) => number> = {
    "pricing-low-to-high": price,
    "pricing-high-to-low": (m) => (price(m) === Infinity ? Infinity : -price(m)),
    "context-high-to-low": (m) => -m.context_length,
    "throughput-high-to-low": (m) => -throughputOf(m.id),
    "latency-low-to-high": (m) => latencyOf(m.id),
    "most-popular": (m) => MODELS.indexOf(m),
    newest: (m) => -m.created,
  };
  const key = keys[sort];
  return key ? [...MODELS].sort((a, b) => key(a) - key(b)) : MODELS;
}

/** A steady number from 0 to 999 for a model id. */
function seedOf(id: string): number {
  let hash = 7;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 1000;
  return hash;
}

/** Tokens a second, as the stand-in makes them up: 20 to 219. */
const throughputOf = (id: string): number => 20 + (seedOf(id) % 200);
/** Seconds to the first token, as the stand-in makes them up: 0.2 to 3.1. */
const latencyOf = (id: string): number => 0.2 + (seedOf(id) % 30) / 10;
