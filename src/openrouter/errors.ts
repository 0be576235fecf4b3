// Turns OpenRouter's failures into messages that tell the person (or the model) what to do next,
// and the same advice as fields (suggestions) for a client that acts on it.
import type { Availability, UpstreamRefusal } from "./answers.js";
import type { StreamSummary } from "./stream.js";

/** What OpenRouter's model list says about a model it refused with 404, when the list could be read. */
export interface ModelLookup {
  listed: boolean;
  /** The listed ids closest to the name, best first. */
  closest: string[];
}

export function describeRefusal(
  refusal: UpstreamRefusal,
  model: string,
  defaultModel: string,
  idleTimeoutMs: number,
  lookup?: ModelLookup,
): string {
  const said = refusal.message ? ` OpenRouter said: "${refusal.message}"` : "";
  const alternatives = refusal.fallbackModels.length
    ? ` OpenRouter suggests: ${refusal.fallbackModels.join(", ")}.`
    : "";
  const retry =
    refusal.retryAfterSeconds !== undefined
      ? `Retry in ${refusal.retryAfterSeconds} second${refusal.retryAfterSeconds === 1 ? "" : "s"}.`
      : "Retry in a few seconds.";
  const availability = refusal.availability && describeAvailability(refusal.availability, refusal, model, said, retry);
  if (availability) return availability;
  switch (refusal.status) {
    case 0:
      return refusal.timedOut
        ? `OpenRouter did not answer within ${Math.round(idleTimeoutMs / 1000)} s, so the call was ended. Retry, or try another model.`
        : "Could not reach OpenRouter (network error). Check the connection and retry.";
    case 400:
      return `OpenRouter rejected the request as invalid.${said} Check the arguments (model, max_tokens, reasoning, provider, …) and retry.`;
    case 401:
      return `OpenRouter rejected the API key.${said} Log in again or use a valid OpenRouter key.`;
    case 402:
      return `Out of credits for this key.${said} Add credits at https://openrouter.ai/settings/credits or raise this key's credit limit at https://openrouter.ai/settings/keys, then retry.`;
    case 403:
      return `OpenRouter's moderation refused this input.${said} Rephrase the prompt or choose another model.`;
    case 404:
      if (lookup?.listed) {
        return `Model "${model}" is listed on OpenRouter but no provider can serve this request now.${said}${alternatives} Loosen the provider preferences, retry later, or choose another model.`;
      }
      if (lookup) {
        const closest = lookup.closest.length ? ` Closest ids: ${lookup.closest.join(", ")}.` : "";
        return `Model "${model}" is not on OpenRouter's model list.${said}${closest}${alternatives} Call list_models to search, or omit "model" to use the default (${defaultModel}).`;
      }
      return `Model "${model}" is unknown or has no available endpoints on OpenRouter.${said}${alternatives} Check the name at https://openrouter.ai/models, or omit "model" to use the default (${defaultModel}).`;
    case 408:
      return `OpenRouter timed out waiting for the model.${said} Retry, perhaps with a smaller max_tokens or another model.`;
    case 429:
      return `Rate limited by OpenRouter.${said} ${retry}${alternatives}`;
    default:
      if (refusal.status >= 500) {
        return `The model's provider is having trouble (HTTP ${refusal.status}).${said} ${retry}${alternatives} Or try another model.`;
      }
      return `OpenRouter answered HTTP ${refusal.status}.${said}`;
  }
}

const CREDITS_URL = "https://openrouter.ai/settings/credits";

/** What to do after a refusal, as fields: when to retry, which models to try, where to add credits. */
export interface Suggestions {
  retry_after_seconds?: number;
  models?: string[];
  add_credits_url?: string;
}

export function refusalSuggestions(refusal: UpstreamRefusal, lookup?: ModelLookup): Suggestions {
  const retryable = refusal.availability?.retryable ?? (refusal.status === 429 || refusal.status >= 500);
  const models = refusal.fallbackModels.length ? refusal.fallbackModels : lookup?.listed ? [] : (lookup?.closest ?? []);
  return {
    ...(retryable && refusal.retryAfterSeconds !== undefined ? { retry_after_seconds: refusal.retryAfterSeconds } : {}),
    ...(models.length ? { models } : {}),
    ...(refusal.status === 402 ? { add_credits_url: CREDITS_URL } : {}),
  };
}

/**
 * A model OpenRouter could not serve, by its availability code (one per condition, stable; new
 * ones may come, read by `retryable` then).
 */
function describeAvailability(
  { code, retryable, excludedBy, constraint }: Availability,
  refusal: UpstreamRefusal,
  model: string,
  said: string,
  retry: string,
): string {
  const others = refusal.fallbackModels.join(", ");
  const tryInstead = others ? ` Or try one of these models instead: ${others}.` : "";
  switch (code) {
    case "model_not_found":
      return `"${model}" is not a model id OpenRouter knows.${said}${others ? ` Try: ${others}.` : ""} Find ids with list_models.`;
    case "wrong_endpoint":
      return `"${model}" is not a chat model${constraint ? ` (${constraint.detail})` : ""}.${said} Choose a chat model with list_models.`;
    case "no_endpoints":
      return `No provider can serve "${model}" under this call's routing preferences.${said} Loosen "provider" (only, ignore, quantizations, …) or choose another model.${tryInstead}`;
    case "model_deprecated":
      return `"${model}" has been retired.${said} ${others ? `Use its successor: ${others}.` : "Choose another model with list_models."}`;
    case "model_unavailable_upstream":
      return `Every provider has removed "${model}".${said} Choose another model.${tryInstead}`;
    case "capacity_exhausted":
      return `Every provider of "${model}" is at capacity.${said} ${retry}${tryInstead}`;
    case "temporarily_unavailable":
      return `The providers of "${model}" are failing for now.${said} ${retry}${tryInstead}`;
    case "region_restricted":
      return `"${model}" is not offered in the region this server runs in.${said} Choose another model, or other providers.${tryInstead}`;
    case "privacy_restricted":
      return `The data policy${excludedBy.length ? ` (${excludedBy.join(", ")})` : ""} leaves no provider for "${model}".${said} Relax it at https://openrouter.ai/settings/privacy or in "provider", or choose another model.${tryInstead}`;
    case "constraint_filtered": {
      const which = constraint?.field ?? excludedBy.join(", ");
      return `The ${which ? `"${which}" ` : ""}routing constraint leaves no provider for "${model}"${constraint ? `: ${constraint.detail}` : ""}.${said} Relax it and retry.${tryInstead}`;
    }
    case "free_variant_ended":
      return `The free variant "${model}" has ended.${said} ${others ? `Switch to ${others} (normal prices apply).` : "Choose another model."}`;
    default:
      return retryable
        ? `"${model}" cannot be served right now (${code}).${said} ${retry}${tryInstead}`
        : `"${model}" cannot be served (${code}).${said} Choose another model.${tryInstead}`;
  }
}

/** Why a stream that started did not finish properly, or undefined when it did. */
export function describeStreamFailure(summary: StreamSummary, idleTimeoutMs: number): string | undefined {
  if (summary.error) {
    const code = summary.error.code !== undefined ? ` (${summary.error.code})` : "";
    return `The provider failed mid-answer${code}: ${summary.error.message}. The partial answer is included; retry to get a complete one.`;
  }
  if (summary.finishReason === "error") {
    return "The provider ended the answer with an error. The partial answer is included; retry to get a complete one.";
  }
  switch (summary.end) {
    case "done":
      return undefined;
    case "closed":
      // Some upstreams end without [DONE]; a finish reason means the answer is whole.
      return summary.finishReason
        ? undefined
        : "The answer stream ended early, before the model finished. The partial answer is included; retry to get a complete one.";
    case "broken":
      return "The connection to OpenRouter broke mid-answer. The partial answer is included; retry to get a complete one.";
    case "idle": {
      const seconds = Math.round(idleTimeoutMs / 1000);
      return summary.receivedAnything
        ? `OpenRouter stopped sending for ${seconds} s, so the call was ended. The partial answer is included; retry, or try another model.`
        : `OpenRouter accepted the request but sent nothing for ${seconds} s, so the call was ended. Retry, or try another model.`;
    }
    case "aborted":
      return "The call was cancelled.";
  }
}
